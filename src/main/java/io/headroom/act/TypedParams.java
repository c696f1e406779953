package io.headroom.act;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code virTypedParameter} arrays in native memory, laid out by hand as {@code libvirt-common.h} declares them:
 * {@code char field[80]; int type; union { int; unsigned int; long long; unsigned long long; double; char; char*; }
 * value;}, so the union starts at offset 88 and each element takes 96 bytes on x86-64 and arm64.
 */
final class TypedParams {

    static final int FIELD_LENGTH = 80;
    static final int TYPE_OFFSET = 80;
    static final int VALUE_OFFSET = 88;
    static final int SIZE = 96;

    /** {@code virTypedParameterType}: the numeric kinds scheduler parameters use. */
    static final int INT = 1;
    static final int UINT = 2;
    static final int LLONG = 3;
    static final int ULLONG = 4;
    static final int DOUBLE = 5;
    static final int BOOLEAN = 6;

    private TypedParams() {}

    /** Room for {@code n} parameters, zeroed. */
    static Memory allocate(int n) {
        Memory m = new Memory((long) SIZE * Math.max(1, n));
        m.clear();
        return m;
    }

    /** One {@code long long} parameter, the only shape Headroom sets. */
    static Memory llong(String field, long value) {
        byte[] name = field.getBytes(StandardCharsets.US_ASCII);
        if (name.length >= FIELD_LENGTH) {
            throw new IllegalArgumentException("typed parameter name too long: " + field);
        }
        Memory m = allocate(1);
        m.write(0, name, 0, name.length);
        m.setInt(TYPE_OFFSET, LLONG);
        m.setLong(VALUE_OFFSET, value);
        return m;
    }

    /**
     * The numeric parameters among the first {@code n} of {@code params}, by name. Unsigned 64-bit values above
     * {@link Long#MAX_VALUE} do not occur for scheduler parameters (periods and quotas are bounded far below).
     */
    static Map<String, Long> numbers(Pointer params, int n) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            long base = (long) i * SIZE;
            String field = params.getString(base, StandardCharsets.US_ASCII.name());
            int type = params.getInt(base + TYPE_OFFSET);
            long v = switch (type) {
                case INT -> params.getInt(base + VALUE_OFFSET);
                case UINT -> Integer.toUnsignedLong(params.getInt(base + VALUE_OFFSET));
                case LLONG, ULLONG -> params.getLong(base + VALUE_OFFSET);
                case BOOLEAN -> params.getByte(base + VALUE_OFFSET);
                default -> Long.MIN_VALUE;
            };
            if (v != Long.MIN_VALUE) {
                out.put(field, v);
            }
        }
        return out;
    }
}
