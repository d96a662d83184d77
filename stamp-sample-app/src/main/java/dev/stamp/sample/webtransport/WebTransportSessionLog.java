package dev.stamp.sample.webtransport;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.stereotype.Component;

import dev.stamp.webtransport.SessionCloseInfo;
import dev.stamp.webtransport.WebTransportSession;

/**
 * The most recent WebTransport sessions of {@code /echo}: who opened them, and how each
 * one ended, including the close code and reason the browser sent
 * ({@code transport.close({closeCode, reason})}).
 * <p>
 * A sample application's window onto its sessions: shown on {@code /about} and served as
 * JSON at {@code /api/webtransport/sessions}. Only the last {@value #CAPACITY} sessions
 * are kept, so it stays small however long the application runs.
 */
@Component
public class WebTransportSessionLog {

	static final int CAPACITY = 20;

	private final Deque<Entry> entries = new ArrayDeque<>(CAPACITY);

	private final AtomicLong sequence = new AtomicLong();

	private final Clock clock;

	public WebTransportSessionLog() {
		this(Clock.systemUTC());
	}

	WebTransportSessionLog(Clock clock) {
		this.clock = clock;
	}

	/**
	 * Starts recording a session: it is listed as open now, and with its close code and
	 * reason once it ends.
	 * @param session the session that has just opened
	 */
	public void track(WebTransportSession session) {
		Entry entry = new Entry(this.sequence.incrementAndGet(), String.valueOf(session.remoteAddress()),
				session.origin(), session.path(), this.clock.instant());
		synchronized (this.entries) {
			if (this.entries.size() == CAPACITY) {
				this.entries.removeLast();
			}
			this.entries.addFirst(entry);
		}
		// closeSignal() never fails and completes once, however the session ends.
		session.closeSignal().subscribe((info) -> entry.closed(info, this.clock.instant()));
	}

	/**
	 * The recorded sessions, newest first.
	 * @return a snapshot of the recorded sessions
	 */
	public List<SessionSummary> recent() {
		synchronized (this.entries) {
			return this.entries.stream().map(Entry::summary).toList();
		}
	}

	/**
	 * One session as shown to people and served as JSON.
	 *
	 * @param number counts sessions since the application started
	 * @param remoteAddress the peer's UDP address
	 * @param origin the page that opened it ({@code null} for non-browser clients)
	 * @param path the endpoint
	 * @param opened when it was accepted (ISO-8601)
	 * @param closed when it ended (ISO-8601), {@code null} while open
	 * @param closeCode the application close code ({@code null} while open)
	 * @param closeReason the close reason ({@code null} while open)
	 * @param closedBy {@code "client"} or {@code "server"} ({@code null} while open)
	 */
	public record SessionSummary(long number, String remoteAddress, String origin, String path, String opened,
			String closed, Long closeCode, String closeReason, String closedBy) {
	}

	private static final class Entry {

		private final long number;

		private final String remoteAddress;

		private final String origin;

		private final String path;

		private final Instant opened;

		private volatile Closed closed;

		Entry(long number, String remoteAddress, String origin, String path, Instant opened) {
			this.number = number;
			this.remoteAddress = remoteAddress;
			this.origin = origin;
			this.path = path;
			this.opened = opened;
		}

		void closed(SessionCloseInfo info, Instant at) {
			this.closed = new Closed(info, at);
		}

		SessionSummary summary() {
			Closed end = this.closed;
			return new SessionSummary(this.number, this.remoteAddress, this.origin, this.path, this.opened.toString(),
					(end != null) ? end.at().toString() : null, (end != null) ? end.info().code() : null,
					(end != null) ? end.info().reason() : null,
					(end != null) ? (end.info().byPeer() ? "client" : "server") : null);
		}

	}

	private record Closed(SessionCloseInfo info, Instant at) {
	}

}
