#!/usr/bin/env bash
# Accuracy of `headroom score` on the SMD machines of the shared data set, beside scikit-learn's
# IsolationForest on the same files in the same run: ROC AUC, average precision and best point-wise F1
# per machine and their mean, for --raw-features and with the config's feature engineering, over SEEDS
# forest seeds (detection.forest.seed). Reads the data in place; writes only under target/bench/smd/.
#   src/bench/smd-accuracy.sh [SMD_DIR]   # default ../shared/datasets/smd/ServerMachineDataset beside the repository
#   CONFIG=my.yaml SEEDS=3 src/bench/smd-accuracy.sh    # another detection section (its forest.seed is replaced)
set -euo pipefail
cd "$(dirname "$0")/../.."

SMD=${1:-$(pwd)/../shared/datasets/smd/ServerMachineDataset}
SEEDS=${SEEDS:-5}
PYTHON=${PYTHON:-/usr/bin/python3}
# shellcheck source=daemon/lib.sh
. daemon/lib.sh
ensure_packages "${PEER_PACKAGES[@]}"
CONFIG=${CONFIG:-}
MVN=${MVN:-mvn -B -q -Dstyle.color=never}
OUT=target/bench/smd
MACHINES=$(cd "$SMD/test" && ls ./*.txt | sed 's|^\./||; s/\.txt$//' | sort)

mkdir -p "$OUT"
$MVN compile
$MVN dependency:build-classpath -Dmdep.outputFile="$OUT/classpath.txt" -Dmdep.includeScope=runtime
CP="target/classes:$(cat "$OUT/classpath.txt")"

# SMD files are bare comma-separated numbers and `headroom score` wants a header: name the columns
# f01..f38 (names do not matter to the model). Written once, under target/ only.
for machine in $MACHINES; do
    for part in train test; do
        csv="$OUT/$machine.$part.csv"
        [ -f "$csv" ] && [ "$csv" -nt "$SMD/$part/$machine.txt" ] && continue
        cols=$(head -1 "$SMD/$part/$machine.txt" | awk -F, '{print NF}')
        { seq -f 'f%02g' 1 "$cols" | paste -sd, -; cat "$SMD/$part/$machine.txt"; } > "$csv"
    done
done

# One config per seed: the given one (or the defaults) with detection.forest.seed set.
for seed in $(seq 0 $((SEEDS - 1))); do
    "$PYTHON" - "$CONFIG" "$seed" "$OUT/config.seed$seed.yaml" <<'EOF'
import sys, yaml
src, seed, dst = sys.argv[1], int(sys.argv[2]), sys.argv[3]
cfg = (yaml.safe_load(open(src)) if src else None) or {}
cfg.setdefault("detection", {}).setdefault("forest", {})["seed"] = seed
yaml.safe_dump(cfg, open(dst, "w"), sort_keys=False)
EOF
done

for machine in $MACHINES; do
    for seed in $(seq 0 $((SEEDS - 1))); do
        for mode in raw engineered; do
            flag=$([ "$mode" = raw ] && echo --raw-features || true)
            # shellcheck disable=SC2086 # flag is empty or one word
            java -cp "$CP" io.headroom.cli.Main score --config "$OUT/config.seed$seed.yaml" $flag \
                --train "$OUT/$machine.train.csv" --test "$OUT/$machine.test.csv" \
                --out "$OUT/$machine.$mode.seed$seed.csv" 2>> "$OUT/score.log"
        done
    done
done

# shellcheck disable=SC2086 # MACHINES is a word list on purpose
"$PYTHON" src/bench/smd_accuracy.py "$SMD" "$OUT" "$SEEDS" $MACHINES
