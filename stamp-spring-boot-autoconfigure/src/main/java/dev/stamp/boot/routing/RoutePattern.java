package dev.stamp.boot.routing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.jspecify.annotations.Nullable;

/**
 * One route path as declared, parsed once: an exact path ({@code /chat}), a template with
 * path variables ({@code /users/{id}}, {@code /users/{id:\d+}}, {@code /files/{*rest}}),
 * or a regular expression after {@code ~} whose named groups are the variables
 * ({@code ~/users/(?<id>\d+)}).
 * <p>
 * Templates follow Spring's {@code PathPattern}: {@code {name}} captures one non-empty
 * path segment (or the part of one between literals, as in {@code {name}.txt}),
 * {@code {name:regex}} one that the regular expression matches, and {@code {*name}}, only
 * as the last segment, the rest of the path including its leading {@code /}, possibly
 * empty. Their precedence is Spring's too: see {@link #PRECEDENCE}.
 */
final class RoutePattern {

	private static final Pattern VARIABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*");

	/**
	 * Exact paths first; then templates without {@code {*rest}}, fewer variables first,
	 * then more literal text; then regular expressions in declaration order; then
	 * {@code {*rest}} templates, longest first. Two patterns that compare equal here and
	 * can match the same path are ambiguous.
	 */
	static final Comparator<RoutePattern> PRECEDENCE = Comparator.comparingInt(RoutePattern::tier)
		.thenComparingInt((pattern) -> pattern.catchAll ? -pattern.normalizedLength : 0)
		.thenComparingInt((pattern) -> (pattern.kind == Kind.TEMPLATE) ? pattern.variables.size() : 0)
		.thenComparingInt((pattern) -> -pattern.normalizedLength);

	private final String source;

	private final Kind kind;

	/** The whole path's expression; {@code null} for an exact path. */
	private final @Nullable Pattern regex;

	/** Variable name by group name, in declaration order. */
	private final Map<String, String> variables;

	private final List<Segment> segments;

	private final boolean catchAll;

	/** Literal characters, each variable counting as one: Spring's measure. */
	private final int normalizedLength;

	/** The template with its variable names left out: equal shapes match equal paths. */
	private final String shape;

	private RoutePattern(String source, Kind kind, @Nullable Pattern regex, Map<String, String> variables,
			List<Segment> segments, boolean catchAll, int normalizedLength, String shape) {
		this.source = source;
		this.kind = kind;
		this.regex = regex;
		this.variables = variables;
		this.segments = segments;
		this.catchAll = catchAll;
		this.normalizedLength = normalizedLength;
		this.shape = shape;
	}

	/**
	 * Parses a route path.
	 * @param path the path as declared
	 * @return the parsed pattern
	 * @throws IllegalStateException if the path is not a valid route path
	 */
	static RoutePattern parse(String path) {
		if (path.startsWith("~")) {
			return regex(path);
		}
		if (!path.startsWith("/")) {
			throw invalid(path, "must start with '/' (or '~' for a regular expression)");
		}
		if (path.indexOf('{') < 0 && path.indexOf('}') < 0 && path.indexOf('*') < 0) {
			return new RoutePattern(path, Kind.EXACT, null, Map.of(), List.of(), false, path.length(), path);
		}
		return TemplateParser.parse(path);
	}

	private static RoutePattern regex(String path) {
		Pattern regex;
		try {
			regex = Pattern.compile(path.substring(1));
		}
		catch (PatternSyntaxException ex) {
			throw new IllegalStateException("Route path '" + path + "' is not a valid regular expression: "
					+ ex.getDescription() + " near index " + ex.getIndex(), ex);
		}
		Map<String, String> variables = new LinkedHashMap<>();
		for (String name : namedGroups(regex.pattern())) {
			variables.put(name, name);
		}
		return new RoutePattern(path, Kind.REGEX, regex, Collections.unmodifiableMap(variables), List.of(), false, 0,
				path);
	}

	/**
	 * The names of a regular expression's named groups, in order of appearance. Java 17
	 * has no API for them ({@code Pattern.namedGroups()} came in Java 20).
	 * @param regex the regular expression
	 * @return the group names
	 */
	static List<String> namedGroups(String regex) {
		List<String> names = new ArrayList<>();
		int classDepth = 0;
		for (int i = 0; i < regex.length(); i++) {
			char c = regex.charAt(i);
			if (c == '\\') {
				if (regex.startsWith("Q", i + 1)) {
					int end = regex.indexOf("\\E", i + 2);
					i = (end < 0) ? regex.length() : end + 1;
				}
				else {
					i++;
				}
			}
			else if (c == '[') {
				classDepth++;
			}
			else if (c == ']' && classDepth > 0) {
				classDepth--;
			}
			else if (classDepth == 0 && regex.startsWith("(?<", i) && i + 3 < regex.length()
					&& regex.charAt(i + 3) != '=' && regex.charAt(i + 3) != '!') {
				int end = regex.indexOf('>', i + 3);
				names.add(regex.substring(i + 3, end));
				i = end;
			}
		}
		return names;
	}

	static IllegalStateException invalid(String path, String reason) {
		return new IllegalStateException("Route path '" + path + "' " + reason);
	}

	/**
	 * The path as declared.
	 * @return the declared path
	 */
	String source() {
		return this.source;
	}

	boolean isExact() {
		return this.kind == Kind.EXACT;
	}

	/**
	 * Matches a request path.
	 * @param path the request's path, without query
	 * @return the path variables in declaration order, or {@code null} if the path does
	 * not match
	 */
	@Nullable Map<String, String> match(String path) {
		if (this.kind == Kind.EXACT) {
			return this.source.equals(path) ? Map.of() : null;
		}
		Pattern regex = this.regex;
		if (regex == null) {
			return null;
		}
		Matcher matcher = regex.matcher(path);
		if (!matcher.matches()) {
			return null;
		}
		Map<String, String> values = new LinkedHashMap<>();
		for (Map.Entry<String, String> variable : this.variables.entrySet()) {
			@Nullable String value = matcher.group(variable.getKey());
			// A template variable holds to its segment, even if its own regex could cross
			// one.
			if (this.kind == Kind.TEMPLATE && !variable.getKey().equals(catchAllGroup()) && value != null
					&& value.indexOf('/') >= 0) {
				return null;
			}
			// An optional regex group that took no part in the match has no value.
			if (value != null) {
				values.put(variable.getValue(), value);
			}
		}
		return Collections.unmodifiableMap(values);
	}

	private @Nullable String catchAllGroup() {
		return this.catchAll ? "v" + (this.variables.size() - 1) : null;
	}

	/**
	 * Whether both patterns match the same paths, whatever their variables are called.
	 * @param other the pattern to compare with
	 * @return {@code true} if both match the same paths
	 */
	boolean hasSameShape(RoutePattern other) {
		return this.kind == other.kind && this.shape.equals(other.shape);
	}

	/**
	 * Whether some path could match both patterns with equal precedence, so that neither
	 * can be chosen. Regular expressions are not compared: they keep declaration order.
	 * @param other the pattern to compare with
	 * @return {@code true} if neither pattern can be chosen over the other
	 */
	boolean isAmbiguousWith(RoutePattern other) {
		if (this.kind != Kind.TEMPLATE || other.kind != Kind.TEMPLATE || PRECEDENCE.compare(this, other) != 0) {
			return hasSameShape(other);
		}
		if (this.catchAll != other.catchAll || (!this.catchAll && this.segments.size() != other.segments.size())) {
			return false;
		}
		int common = Math.min(this.segments.size(), other.segments.size());
		for (int i = 0; i < common; i++) {
			if (!this.segments.get(i).mayMatchSameAs(other.segments.get(i))) {
				return false;
			}
		}
		return true;
	}

	private int tier() {
		return switch (this.kind) {
			case EXACT -> 0;
			case TEMPLATE -> this.catchAll ? 3 : 1;
			case REGEX -> 2;
		};
	}

	@Override
	public String toString() {
		return this.source;
	}

	private enum Kind {

		EXACT, TEMPLATE, REGEX

	}

	/**
	 * One segment of a template, between slashes: its literal text before the first and
	 * after the last variable, and a regular expression for the whole segment.
	 */
	private record Segment(String prefix, String suffix, boolean literal, @Nullable Pattern pattern) {

		boolean mayMatchSameAs(Segment other) {
			if (this.literal && other.literal) {
				return this.prefix.equals(other.prefix);
			}
			if (this.literal || other.literal) {
				Segment literalOne = this.literal ? this : other;
				Segment variableOne = this.literal ? other : this;
				Pattern pattern = variableOne.pattern;
				return pattern != null && pattern.matcher(literalOne.prefix).matches();
			}
			return compatible(this.prefix, other.prefix, String::startsWith)
					&& compatible(this.suffix, other.suffix, String::endsWith);
		}

		private static boolean compatible(String a, String b, BiPredicate<String, String> test) {
			return test.test(a, b) || test.test(b, a);
		}

	}

	/** Turns a template into a regular expression, a segment list and a shape. */
	private static final class TemplateParser {

		private final String path;

		private final StringBuilder regex = new StringBuilder();

		private final StringBuilder shape = new StringBuilder();

		private final Map<String, String> variables = new LinkedHashMap<>();

		private final List<Segment> segments = new ArrayList<>();

		private final StringBuilder segmentRegex = new StringBuilder();

		private final StringBuilder literal = new StringBuilder();

		/**
		 * The literal text of the segment before its first variable; {@code null} before
		 * one.
		 */
		private @Nullable String segmentPrefix;

		private boolean catchAll;

		private int normalizedLength;

		private TemplateParser(String path) {
			this.path = path;
		}

		static RoutePattern parse(String path) {
			return new TemplateParser(path).parse();
		}

		private RoutePattern parse() {
			int i = 0;
			while (i < this.path.length()) {
				char c = this.path.charAt(i);
				if (c == '{') {
					i = variable(i);
				}
				else if (c == '}') {
					throw invalid(this.path, "has a '}' without '{' at index " + i);
				}
				else if (c == '*') {
					throw invalid(this.path,
							"has a '*' wildcard, which Stamp does not support: use {*name} for the rest of the path");
				}
				else {
					if (c == '/' && i > 0) {
						endSegment();
					}
					if (c != '/') {
						this.literal.append(c);
					}
					this.regex.append(Pattern.quote(String.valueOf(c)));
					this.shape.append(c);
					this.normalizedLength++;
					i++;
				}
			}
			if (!this.catchAll) {
				endSegment();
			}
			return new RoutePattern(this.path, Kind.TEMPLATE, Pattern.compile(this.regex.toString()),
					Collections.unmodifiableMap(this.variables), List.copyOf(this.segments), this.catchAll,
					this.normalizedLength, this.shape.toString());
		}

		/**
		 * Parses the variable whose '{' is at {@code start}.
		 * @param start the index of the opening brace
		 * @return the index after the variable
		 */
		private int variable(int start) {
			int end = closingBrace(start);
			String declaration = this.path.substring(start + 1, end);
			boolean rest = declaration.startsWith("*");
			int colon = declaration.indexOf(':');
			String name = rest ? declaration.substring(1) : (colon < 0) ? declaration : declaration.substring(0, colon);
			String constraint = (rest || colon < 0) ? null : declaration.substring(colon + 1);
			if (!VARIABLE_NAME.matcher(name).matches()) {
				throw invalid(this.path, "has a variable named '" + name
						+ "': names start with a letter or '_' and hold letters, digits, '_' and '-'");
			}
			if (this.variables.containsValue(name)) {
				throw invalid(this.path, "declares the variable '" + name + "' twice");
			}
			String group = "v" + this.variables.size();
			this.variables.put(group, name);
			this.normalizedLength++;
			if (rest) {
				if (start == 0 || this.path.charAt(start - 1) != '/' || end != this.path.length() - 1) {
					throw invalid(this.path, "has {*" + name + "} other than as its whole last segment");
				}
				// The rest includes its leading slash and may be empty: drop the one
				// already written.
				this.regex.setLength(this.regex.length() - Pattern.quote("/").length());
				this.regex.append("(?<").append(group).append(">(?:/.*)?)");
				this.shape.append("{*}");
				this.catchAll = true;
				return end + 1;
			}
			String variableRegex;
			if (constraint != null) {
				try {
					Pattern.compile(constraint);
				}
				catch (PatternSyntaxException ex) {
					throw new IllegalStateException("Route path '" + this.path + "' constrains '" + name
							+ "' with an invalid regular expression: " + ex.getDescription(), ex);
				}
				variableRegex = "(?:" + constraint + ")";
			}
			else {
				variableRegex = "[^/]+";
			}
			if (this.segmentPrefix == null) {
				this.segmentPrefix = this.literal.toString();
			}
			else {
				this.segmentRegex.append(Pattern.quote(this.literal.toString()));
			}
			this.literal.setLength(0);
			this.segmentRegex.append("(?:").append(variableRegex).append(')');
			this.regex.append("(?<").append(group).append('>').append(variableRegex).append(')');
			this.shape.append('{').append((constraint != null) ? ":" + constraint : "").append('}');
			return end + 1;
		}

		private int closingBrace(int start) {
			int depth = 0;
			for (int i = start; i < this.path.length(); i++) {
				char c = this.path.charAt(i);
				if (c == '\\') {
					i++;
				}
				else if (c == '{') {
					depth++;
				}
				else if (c == '}' && --depth == 0) {
					return i;
				}
			}
			throw invalid(this.path, "has a '{' without '}' at index " + start);
		}

		private void endSegment() {
			String text = this.literal.toString();
			if (this.segmentPrefix == null) {
				this.segments.add(new Segment(text, text, true, null));
			}
			else {
				this.segmentRegex.append(Pattern.quote(text));
				this.segments.add(new Segment(this.segmentPrefix, text, false,
						Pattern.compile(Pattern.quote(this.segmentPrefix) + this.segmentRegex)));
			}
			this.segmentPrefix = null;
			this.segmentRegex.setLength(0);
			this.literal.setLength(0);
		}

	}

}
