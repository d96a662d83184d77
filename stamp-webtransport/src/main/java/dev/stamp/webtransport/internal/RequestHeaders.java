package dev.stamp.webtransport.internal;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * The headers of a CONNECT request as the read-only map a session exposes (lower-case
 * names, each with its values in the order they came), kept compact because every session
 * holds it for its whole life: one array of names and values, with the names and values
 * every WebTransport CONNECT carries ({@code :method CONNECT},
 * {@code :protocol webtransport}, ...) shared rather than copied. Lookups scan the array
 * (a CONNECT has a handful of headers); the entry set is built when asked for.
 */
public final class RequestHeaders extends AbstractMap<String, List<String>> {

	/**
	 * Names and values that nearly every CONNECT carries, shared by all sessions instead
	 * of a copy each.
	 */
	private static final Map<String, String> COMMON = common(":method", ":protocol", ":scheme", ":authority", ":path",
			"origin", "user-agent", "sec-webtransport-http3-draft02", "sec-webtransport-http3-draft", "CONNECT",
			"webtransport", "https", "1", "draft02");

	/** name, value, name, value, ... in the request's order; names in lower case. */
	private final String[] fields;

	private RequestHeaders(String[] fields) {
		this.fields = fields;
	}

	/**
	 * Copies headers as they were received.
	 * @param headers the received headers (for example Netty's {@code Http3Headers})
	 * @return the compact copy
	 */
	public static RequestHeaders copyOf(
			Iterable<? extends Map.Entry<? extends CharSequence, ? extends CharSequence>> headers) {
		List<String> fields = new ArrayList<>(16);
		for (Map.Entry<? extends CharSequence, ? extends CharSequence> header : headers) {
			fields.add(shared(header.getKey().toString().toLowerCase(Locale.ROOT)));
			fields.add(shared(header.getValue().toString()));
		}
		return new RequestHeaders(fields.toArray(new String[0]));
	}

	private static String shared(String text) {
		String common = COMMON.get(text);
		return (common != null) ? common : text;
	}

	/**
	 * The first value of a header, without making a list.
	 * @param name the header's name, lower case
	 * @return the value, or {@code null} if there is no such header
	 */
	public @Nullable String first(String name) {
		for (int i = 0; i < this.fields.length; i += 2) {
			if (this.fields[i].equals(name)) {
				return this.fields[i + 1];
			}
		}
		return null;
	}

	@Override
	public @Nullable List<String> get(Object name) {
		String only = null;
		List<String> several = null;
		for (int i = 0; i < this.fields.length; i += 2) {
			if (this.fields[i].equals(name)) {
				if (only == null) {
					only = this.fields[i + 1];
				}
				else {
					if (several == null) {
						several = new ArrayList<>(4);
						several.add(only);
					}
					several.add(this.fields[i + 1]);
				}
			}
		}
		if (several != null) {
			return List.copyOf(several);
		}
		return (only != null) ? List.of(only) : null;
	}

	@Override
	public boolean containsKey(Object name) {
		for (int i = 0; i < this.fields.length; i += 2) {
			if (this.fields[i].equals(name)) {
				return true;
			}
		}
		return false;
	}

	@Override
	public boolean isEmpty() {
		return this.fields.length == 0;
	}

	@Override
	public Set<Entry<String, List<String>>> entrySet() {
		Map<String, List<String>> map = new LinkedHashMap<>();
		for (int i = 0; i < this.fields.length; i += 2) {
			map.computeIfAbsent(this.fields[i], (name) -> new ArrayList<>(1)).add(this.fields[i + 1]);
		}
		map.replaceAll((name, values) -> List.copyOf(values));
		return Collections.unmodifiableMap(map).entrySet();
	}

	private static Map<String, String> common(String... texts) {
		Map<String, String> map = new java.util.HashMap<>();
		for (String text : texts) {
			map.put(text, text);
		}
		return Map.copyOf(map);
	}

}
