package io.globalgate.admin.store;

/** One page of a listing: 1-based page number and its size. */
public record PageRequest(int page, int size) {

    public static final int DEFAULT_SIZE = 20;

    public static PageRequest first(int size) {
        return new PageRequest(1, size);
    }

    public long offset() {
        return (long) (page - 1) * size;
    }
}
