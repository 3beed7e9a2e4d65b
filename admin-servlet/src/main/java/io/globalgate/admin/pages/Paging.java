package io.globalgate.admin.pages;

/** Where a grid stands: the page shown, its size, the total, and the link to another page. */
public record Paging(int page, int size, long total, String linkBase) {

    public long pages() {
        return Math.max(1, (total + size - 1) / size);
    }

    public boolean hasPrevious() {
        return page > 1;
    }

    public boolean hasNext() {
        return page < pages();
    }

    /** {@code linkBase} ends in {@code ?...&} or {@code ?}, ready for the page parameter. */
    public String link(int target) {
        return linkBase + "page=" + target + "&size=" + size;
    }

    public long first() {
        return total == 0 ? 0 : (long) (page - 1) * size + 1;
    }

    public long last() {
        return Math.min(total, (long) page * size);
    }
}
