package io.globalgate.admin.pages;

/**
 * Where a grid stands: the page shown, its size, the total, and the link to another page;
 * {@code param} names the page parameter ({@code page}, or another for a second grid on one page).
 */
public record Paging(int page, int size, long total, String linkBase, String param) {

    public Paging(int page, int size, long total, String linkBase) {
        this(page, size, total, linkBase, "page");
    }

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
        return linkBase + param + "=" + target + ("page".equals(param) ? "&size=" + size : "");
    }

    public long first() {
        return total == 0 ? 0 : (long) (page - 1) * size + 1;
    }

    public long last() {
        return Math.min(total, (long) page * size);
    }
}
