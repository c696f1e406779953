package io.headroom.collect;

/**
 * A feature could not be collected, so no matrix was produced: acting on a matrix with a stale or missing
 * column would be worse than skipping the cycle. The cause says why the query failed.
 */
public class CollectionException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String feature;

    public CollectionException(String feature, PrometheusException cause) {
        super("feature " + feature + " could not be collected: " + cause.getMessage(), cause);
        this.feature = feature;
    }

    /** The name of the feature whose query failed. */
    public String feature() {
        return feature;
    }

    @Override
    public synchronized PrometheusException getCause() {
        return (PrometheusException) super.getCause();
    }
}
