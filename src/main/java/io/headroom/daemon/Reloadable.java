package io.headroom.daemon;

import io.headroom.config.HeadroomConfig;
import java.util.List;

/**
 * A part of the running daemon that takes a new config without a restart. A reload prepares every part first and
 * commits only if all could be prepared, so a bad secret file in one part leaves every part as it was.
 */
interface Reloadable {

    /**
     * Builds what {@code next} needs (reading secret and CA files) without changing anything running.
     *
     * @throws Exception if {@code next} cannot be used; the message must name files, never their content
     */
    Prepared prepare(HeadroomConfig next) throws Exception;

    /** A prepared change of one part. */
    interface Prepared {

        /** What will change, as config keys for the log; empty when nothing does. */
        List<String> changes();

        /** Puts the change in place. Must not throw. */
        void commit();

        /** Releases what {@link Reloadable#prepare} built, when another part failed to prepare. */
        void discard();

        /** A change named {@code change} that {@code commit} puts in place, having built nothing to release. */
        static Prepared of(String change, Runnable commit) {
            return new Prepared() {
                @Override
                public List<String> changes() {
                    return List.of(change);
                }

                @Override
                public void commit() {
                    commit.run();
                }

                @Override
                public void discard() {
                    // Nothing held that outlives the prepared value.
                }
            };
        }

        /** Nothing to change. */
        static Prepared nothing() {
            return new Prepared() {
                @Override
                public List<String> changes() {
                    return List.of();
                }

                @Override
                public void commit() {
                    // Nothing changed.
                }

                @Override
                public void discard() {
                    // Nothing was built.
                }
            };
        }
    }
}
