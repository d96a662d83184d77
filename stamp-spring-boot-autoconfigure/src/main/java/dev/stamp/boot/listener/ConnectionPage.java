package dev.stamp.boot.listener;

import java.util.List;
import java.util.Map;

/**
 * One page of a listener's open connections, in order of their ids.
 *
 * @param connections each connection's state, starting with its {@code id}
 * @param next the cursor for the following page (the {@code id} of the last connection
 * here), or {@code null} when this is the last page
 */
public record ConnectionPage(List<Map<String, Object>> connections, Long next) {

	/** No connections. */
	public static final ConnectionPage EMPTY = new ConnectionPage(List.of(), null);

	/**
	 * Cuts a page from up to {@code limit + 1} connections read after the cursor: the one
	 * over the limit only tells that there is a next page.
	 * @param read the connections read, in id order, each with a numeric {@code id}
	 * @param limit the page size
	 * @return the page
	 */
	public static ConnectionPage of(List<Map<String, Object>> read, int limit) {
		if (read.size() <= limit) {
			return new ConnectionPage(List.copyOf(read), null);
		}
		List<Map<String, Object>> page = List.copyOf(read.subList(0, limit));
		return new ConnectionPage(page, ((Number) page.get(limit - 1).get("id")).longValue());
	}

}
