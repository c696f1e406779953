package io.headroom.collect;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ShortestDoubleTest {

    @ParameterizedTest
    @CsvSource({
        "0.5, 0.5",
        "1234, 1234",
        "-1234, -1234",
        "0, 0",
        "1.5E-7, 1.5E-7",
        "0.000001, 0.000001",
        "0.00001, 0.00001",
        "123456789012.5, 123456789012.5",
        "1E20, 100000000000000000000",
        "1E21, 1E21",
        "2E23, 2E23",
        "1E23, 1E23",
        "-2.5E-9, -2.5E-9",
        "0.30000000000000004, 0.30000000000000004",
        "0.1, 0.1",
        "9007199254740993, 9007199254740992",
        "6606447278243990500, 6606447278243991000",
    })
    void formats(double value, String expected) {
        assertThat(ShortestDouble.format(value)).isEqualTo(expected);
    }

    @Test
    void randomValuesRoundTripAndCannotBeShortened() {
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 20_000; i++) {
            double d = Double.longBitsToDouble(random.nextLong());
            if (!Double.isFinite(d)) {
                continue;
            }
            String text = ShortestDouble.format(d);
            assertThat(Double.parseDouble(text)).as(text).isEqualTo(d);
            String digits = new BigDecimal(text).unscaledValue().abs().toString().replaceAll("0+$", "");
            if (digits.length() > 1) {
                java.math.BigDecimal shorter = new BigDecimal(text)
                        .round(new MathContext(digits.length() - 1));
                assertThat(shorter.doubleValue()).as("%s shortened", text).isNotEqualTo(d);
            }
        }
    }
}
