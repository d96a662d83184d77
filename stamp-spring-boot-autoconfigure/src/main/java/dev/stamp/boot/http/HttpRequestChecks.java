package dev.stamp.boot.http;

import java.util.List;
import java.util.Locale;

import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.ContentLengthNotAllowedException;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.InvalidChunkExtensionException;
import io.netty.handler.codec.http.InvalidChunkTerminationException;
import io.netty.handler.codec.http.InvalidLineSeparatorException;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.codec.http.TransferEncodingNotAllowedException;
import org.jspecify.annotations.Nullable;

/**
 * What makes a request head unacceptable beyond what Netty's decoder already rejects (RFC
 * 9112): message framing other than one final {@code chunked} coding, a missing or
 * repeated {@code Host}, a {@code Host} that contradicts an absolute-form target. Also
 * names the decoder's own failures, so that every refusal is counted by a fixed kind.
 * <p>
 * Netty 4.2 itself refuses {@code Content-Length} together with
 * {@code Transfer-Encoding}, a {@code chunked} that is not the last coding,
 * {@code Transfer-Encoding} in HTTP/1.0, repeated or malformed lengths, malformed chunks,
 * control bytes, whitespace before a colon and bare CR or LF ({@code HttpDecoderConfig}
 * defaults: strict line parsing, RFC 9112 transfer encoding, no duplicate lengths).
 */
final class HttpRequestChecks {

	private HttpRequestChecks() {
	}

	/**
	 * Checks a request head that Netty decoded without complaint, and turns an
	 * absolute-form target into the origin form routes see (RFC 9112 3.2.2: the target's
	 * authority wins over {@code Host}).
	 * @param request the decoded request head
	 * @return the violation, or {@code null} if the request may proceed
	 */
	static @Nullable Violation check(HttpRequest request) {
		HttpHeaders headers = request.headers();
		List<String> transferEncodings = headers.getAll(HttpHeaderNames.TRANSFER_ENCODING);
		if (!transferEncodings.isEmpty() && !isChunkedOnly(transferEncodings)) {
			// RFC 9112 6.3: the length of a body whose final coding is not chunked cannot
			// be known; Netty would read it as empty and the body as the next request.
			return Violation.badRequest("bad-transfer-encoding", "Unsupported Transfer-Encoding");
		}
		List<String> hosts = headers.getAll(HttpHeaderNames.HOST);
		if (hosts.size() > 1) {
			return Violation.badRequest("bad-host", "More than one Host header");
		}
		if (hosts.isEmpty() && !request.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
			return Violation.badRequest("missing-host", "Missing Host header");
		}
		String target = request.uri();
		if (!isWellFormedTarget(target)) {
			// RFC 9112 3.2: origin-form, absolute-form or "*"; no control bytes, no
			// whitespace (found by fuzzing:
			// Netty passes a target of NUL bytes on as it is).
			return Violation.badRequest("bad-request-target", "Malformed request target");
		}
		if (isAbsoluteForm(target)) {
			String authority = authorityOf(target);
			if (!hosts.isEmpty() && !hosts.get(0).trim().equalsIgnoreCase(authority)) {
				return Violation.badRequest("bad-host", "Host does not match the request target");
			}
			request.setUri(originForm(target, authority));
		}
		return null;
	}

	private static boolean isWellFormedTarget(String target) {
		for (int i = 0; i < target.length(); i++) {
			char c = target.charAt(i);
			if (c <= ' ' || c == 0x7f) {
				return false;
			}
		}
		return target.startsWith("/") || target.equals("*") || isAbsoluteForm(target);
	}

	private static boolean isChunkedOnly(List<String> transferEncodings) {
		int codings = 0;
		for (String value : transferEncodings) {
			for (String coding : value.split(",", -1)) {
				String name = coding.trim();
				// RFC 9112 7: coding names are case-insensitive; chunked may be applied
				// only once, and last.
				if (!name.equalsIgnoreCase("chunked") || ++codings > 1) {
					return false;
				}
			}
		}
		return codings == 1;
	}

	private static boolean isAbsoluteForm(String target) {
		String lower = target.toLowerCase(Locale.ROOT);
		return lower.startsWith("http://") || lower.startsWith("https://");
	}

	private static String authorityOf(String target) {
		int start = target.indexOf("//") + 2;
		int end = start;
		while (end < target.length() && "/?#".indexOf(target.charAt(end)) < 0) {
			end++;
		}
		return target.substring(start, end);
	}

	private static String originForm(String target, String authority) {
		int pathStart = target.indexOf("//") + 2 + authority.length();
		String rest = target.substring(pathStart);
		return (rest.isEmpty() || rest.charAt(0) != '/') ? "/" + rest : rest;
	}

	/**
	 * Names a failure of Netty's decoder, with the answer Reactor Netty would give (414,
	 * 431, otherwise 400).
	 * @param result the decoder's failed result
	 * @param inBody whether the failure is in a body
	 * @return the violation, or {@code null} when the peer closed mid-request and nothing
	 * is to be answered
	 */
	static @Nullable Violation decoderFailure(DecoderResult result, boolean inBody) {
		Throwable cause = result.cause();
		if (cause instanceof PrematureChannelClosureException) {
			return null;
		}
		if (cause instanceof TooLongHttpLineException) {
			return new Violation("request-line-too-long", HttpResponseStatus.REQUEST_URI_TOO_LONG, "URI Too Long");
		}
		if (cause instanceof TooLongHttpHeaderException || (cause instanceof TooLongFrameException && !inBody)) {
			return new Violation("headers-too-large", HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE,
					"Request Header Fields Too Large");
		}
		if (inBody || cause instanceof InvalidChunkExtensionException
				|| cause instanceof InvalidChunkTerminationException) {
			return Violation.badRequest("bad-chunk", "Malformed chunked body");
		}
		if (cause instanceof ContentLengthNotAllowedException) {
			return Violation.badRequest("content-length-with-transfer-encoding",
					"Content-Length not allowed with Transfer-Encoding");
		}
		if (cause instanceof TransferEncodingNotAllowedException
				|| String.valueOf(cause.getMessage()).contains("chunked must be the last")) {
			return Violation.badRequest("bad-transfer-encoding", "Unsupported Transfer-Encoding");
		}
		if (String.valueOf(cause.getMessage()).contains("Content-Length")) {
			return Violation.badRequest("bad-content-length", "Invalid Content-Length");
		}
		if (cause instanceof InvalidLineSeparatorException) {
			return Violation.badRequest("bad-line-ending", "Lines must end with CRLF");
		}
		return Violation.badRequest("malformed-request", "Malformed request");
	}

	/**
	 * Why a request is refused.
	 *
	 * @param kind fixed name counted in {@link dev.stamp.core.PeerErrors}
	 * @param status the answer
	 * @param reason the answer's body: a fixed phrase, nothing from the request
	 */
	record Violation(String kind, HttpResponseStatus status, String reason) {

		static Violation badRequest(String kind, String reason) {
			return new Violation(kind, HttpResponseStatus.BAD_REQUEST, reason);
		}

	}

}
