package dev.stamp.webtransport.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http3.Http3Exception;
import io.netty.handler.codec.http3.Http3Settings;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.util.AttributeKey;
import io.netty.util.collection.LongObjectHashMap;
import io.netty.util.collection.LongObjectMap;
import org.jspecify.annotations.Nullable;

import dev.stamp.core.RefusalLog;
import dev.stamp.webtransport.protocol.Dialect;
import dev.stamp.webtransport.protocol.Http3ErrorCodes;
import dev.stamp.webtransport.protocol.HttpDatagrams;

/**
 * The WebTransport state of one QUIC connection: its sessions and the CONNECTs on their
 * way to become one, the peer's dialect and datagram limit. Streams and datagrams that
 * name a session not known yet wait in its {@link EarlyDataBuffer}. Lives as an attribute
 * of the {@link QuicChannel}; all mutating methods run on that channel's event loop
 * (stream channels share it), so no locking is needed.
 */
public final class ConnectionState {

	private static final org.slf4j.Logger logger = org.slf4j.LoggerFactory.getLogger(ConnectionState.class);

	/** Where the state hangs on the QUIC channel. */
	public static final AttributeKey<ConnectionState> KEY = AttributeKey.valueOf("stamp.webtransport.connection");

	private final QuicChannel channel;

	private final boolean server;

	private final EngineLimits limits;

	private final EngineStats stats;

	private final Map<String, RefusalLog> refusalLogs;

	/**
	 * The connection's session when it has exactly one, as nearly every connection does:
	 * no map for it. Event loop only.
	 */
	private @Nullable SessionImpl onlySession;

	/**
	 * Every session once a connection has more than one (then {@link #onlySession} is
	 * {@code null}); {@code null} otherwise. Event loop only.
	 */
	private @Nullable LongObjectMap<SessionImpl> sessions;

	/**
	 * CONNECT streams seen but not yet sessions (server: being admitted; client: awaiting
	 * the response); {@code null} while there are none, as on an idle connection.
	 */
	private @Nullable Set<Long> connectsInProgress;

	/** Created when something has to wait for its session, which is rare. */
	private @Nullable EarlyDataBuffer earlyData;

	private long highestRequestStreamId = -4;

	private final QuicSendNudge.Nudger nudger;

	private volatile Dialect peerDialect = Dialect.UNKNOWN;

	private volatile int maxDatagramFrameSize;

	public ConnectionState(QuicChannel channel, boolean server, EngineLimits limits, EngineStats stats,
			Map<String, RefusalLog> refusalLogs) {
		this.channel = channel;
		this.server = server;
		this.limits = limits;
		this.stats = stats;
		this.refusalLogs = refusalLogs;
		this.nudger = QuicSendNudge.forConnection(channel, this::carriesStreams);
	}

	/**
	 * A stream opened, or a capsule goes out: data may be on its way. Event loop only.
	 */
	public void trafficExpected() {
		this.nudger.wake();
	}

	/**
	 * Whether data may be on its way: a CONNECT in progress, a stream waiting for its
	 * session, or a session stream.
	 * @return {@code true} if data may be on its way
	 */
	private boolean carriesStreams() {
		if (this.connectsInProgress != null || (this.earlyData != null && this.earlyData.holdsStreams())) {
			return true;
		}
		if (this.onlySession != null) {
			return this.onlySession.hasStreams();
		}
		if (this.sessions != null) {
			for (SessionImpl session : this.sessions.values()) {
				if (session.hasStreams()) {
					return true;
				}
			}
		}
		return false;
	}

	/**
	 * A shared map of refusal logs, one per reason, for all connections of an endpoint.
	 * @return a new, thread-safe map
	 */
	public static Map<String, RefusalLog> newRefusalLogs() {
		return new ConcurrentHashMap<>();
	}

	public static @Nullable ConnectionState of(QuicChannel channel) {
		return channel.attr(KEY).get();
	}

	public QuicChannel channel() {
		return this.channel;
	}

	public EngineLimits limits() {
		return this.limits;
	}

	public EngineStats stats() {
		return this.stats;
	}

	/**
	 * Records an error the peer of this connection caused (counted by kind, logged once
	 * per burst).
	 * @param kind a fixed name from {@link EngineStats}
	 * @param detail what was wrong and what the peer got for it
	 */
	public void peerError(String kind, String detail) {
		peerError(kind, detail, null);
	}

	/**
	 * Like {@link #peerError(String, String)}, with the exception that detected it
	 * (logged at DEBUG only).
	 * @param kind the kind of error
	 * @param detail what was wrong, for the log
	 * @param cause the exception that detected it
	 */
	public void peerError(String kind, String detail, Throwable cause) {
		this.stats.peerErrors().record(kind, this.channel.remoteSocketAddress(), detail, cause);
	}

	/**
	 * Netty's HTTP/3 codec found the peer at fault on {@code where} and closed the
	 * connection or stream.
	 * @param error the codec's error
	 * @param where the connection or stream, for the log
	 */
	public void http3Error(Http3Exception error, String where) {
		peerError(EngineStats.http3ErrorKind(error.errorCode()),
				"HTTP/3 error on " + where + " (" + error.getMessage() + "), answered with " + error.errorCode(),
				error);
	}

	public RefusalLog refusalLog(String reason) {
		return this.refusalLogs.computeIfAbsent(reason,
				(key) -> new RefusalLog("webtransport " + (this.server ? "server" : "client"), key, key, 0));
	}

	public Dialect peerDialect() {
		return this.peerDialect;
	}

	public int maxDatagramFrameSize() {
		return this.maxDatagramFrameSize;
	}

	public void datagramsNegotiated(int maxFrameSize) {
		this.maxDatagramFrameSize = maxFrameSize;
	}

	public void onPeerSettings(Http3Settings settings) {
		Dialect dialect = Dialect.fromSettings(settings);
		if (dialect != Dialect.UNKNOWN) {
			this.peerDialect = dialect;
		}
	}

	/** The peer sent GOAWAY: its sessions should wrap up. */
	public void onGoAway() {
		for (SessionImpl session : sessions()) {
			session.onDrainRequested();
		}
	}

	// ---- sessions

	/**
	 * Sessions of this connection, a copy.
	 * @return the sessions
	 */
	public List<SessionImpl> sessions() {
		if (this.onlySession != null) {
			return List.of(this.onlySession);
		}
		return (this.sessions != null) ? new ArrayList<>(this.sessions.values()) : List.of();
	}

	private int sessionsOpen() {
		if (this.onlySession != null) {
			return 1;
		}
		return (this.sessions != null) ? this.sessions.size() : 0;
	}

	private @Nullable SessionImpl session(long sessionId) {
		SessionImpl only = this.onlySession;
		if (only != null) {
			return (only.id() == sessionId) ? only : null;
		}
		return (this.sessions != null) ? this.sessions.get(sessionId) : null;
	}

	/**
	 * Sessions plus CONNECTs in progress: what the per-connection session limit counts.
	 * @return the number of sessions and CONNECTs in progress
	 */
	public int sessionCount() {
		return sessionsOpen() + ((this.connectsInProgress != null) ? this.connectsInProgress.size() : 0);
	}

	/**
	 * A bidirectional stream turned out to be an HTTP/3 request (a CONNECT, maybe).
	 * @param streamId the request stream's id
	 */
	public void requestStreamOpened(long streamId) {
		if (this.connectsInProgress == null) {
			this.connectsInProgress = new HashSet<>(4);
		}
		this.connectsInProgress.add(streamId);
		this.nudger.wake();
		this.highestRequestStreamId = Math.max(this.highestRequestStreamId, streamId);
	}

	/**
	 * The first client-initiated bidirectional stream id not seen yet (for GOAWAY).
	 * @return the stream id
	 */
	public long nextUnseenRequestStreamId() {
		return this.highestRequestStreamId + 4;
	}

	/**
	 * The request stream will not become a session (rejected, not a CONNECT, closed).
	 * @param streamId the request stream's id
	 */
	public void requestStreamDone(long streamId) {
		if (connectDone(streamId) && this.earlyData != null) {
			this.earlyData.refuse(streamId, Http3ErrorCodes.WT_BUFFERED_STREAM_REJECTED);
		}
	}

	private boolean connectDone(long streamId) {
		if (this.connectsInProgress == null || !this.connectsInProgress.remove(streamId)) {
			return false;
		}
		if (this.connectsInProgress.isEmpty()) {
			this.connectsInProgress = null;
		}
		return true;
	}

	/**
	 * Makes a session known; streams and datagrams waiting for it are handed over.
	 * @param session the new session
	 */
	public void registerSession(SessionImpl session) {
		connectDone(session.id());
		addSession(session);
		if (this.earlyData != null) {
			this.earlyData.handOver(session);
		}
	}

	private void addSession(SessionImpl session) {
		if (this.sessions != null) {
			this.sessions.put(session.id(), session);
		}
		else if (this.onlySession == null || this.onlySession.id() == session.id()) {
			this.onlySession = session;
		}
		else {
			// A second session: from now on, a map for all of them.
			this.sessions = new LongObjectHashMap<>(4);
			this.sessions.put(this.onlySession.id(), this.onlySession);
			this.sessions.put(session.id(), session);
			this.onlySession = null;
		}
	}

	private boolean removeSession(SessionImpl session) {
		if (this.onlySession != null) {
			if (this.onlySession.id() != session.id()) {
				return false;
			}
			this.onlySession = null;
			return true;
		}
		return this.sessions != null && this.sessions.remove(session.id()) != null;
	}

	void sessionEnded(SessionImpl session) {
		if (removeSession(session)) {
			this.stats.releaseSession();
		}
	}

	// ---- peer streams

	/**
	 * A peer stream announced itself as belonging to {@code sessionId}. Called by the
	 * header decoders while they are still in the pipeline: whatever this installs
	 * receives the bytes that followed the header.
	 * @param stream the peer's stream
	 * @param sessionId the session id its header named
	 */
	void routePeerStream(QuicStreamChannel stream, long sessionId) {
		SessionImpl session = session(sessionId);
		if (logger.isTraceEnabled()) {
			logger.trace("Peer stream {} names session {} ({})", stream.streamId(), sessionId,
					(session != null) ? "known" : "not known");
		}
		if (session != null) {
			session.attachPeerStream(stream);
			return;
		}
		if (!mayBecomeSession(sessionId)) {
			this.stats.refused(EngineStats.STREAM_UNKNOWN_SESSION);
			refusalLog(EngineStats.STREAM_UNKNOWN_SESSION).refused(this.channel.remoteSocketAddress());
			SessionImpl.abortChannel(stream, Http3ErrorCodes.WT_SESSION_GONE);
			return;
		}
		earlyData().holdStream(stream, sessionId);
	}

	private boolean mayBecomeSession(long sessionId) {
		if ((sessionId & 0x3) != 0) {
			return false; // session ids are client-initiated bidirectional stream ids
		}
		if (this.connectsInProgress != null && this.connectsInProgress.contains(sessionId)) {
			return true;
		}
		// A server has not seen this CONNECT yet if it is newer than every request stream
		// so far.
		return this.server && sessionId > this.highestRequestStreamId;
	}

	// ---- datagrams

	/**
	 * A QUIC datagram arrived; the caller keeps ownership of {@code datagram}.
	 * @param datagram the received datagram
	 */
	public void onDatagram(ByteBuf datagram) {
		long sessionId = HttpDatagrams.readSessionId(datagram);
		if (sessionId < 0) {
			peerError(EngineStats.DATAGRAM_MALFORMED,
					"datagram with a truncated or out-of-range session prefix; dropped");
			return;
		}
		SessionImpl session = session(sessionId);
		if (session != null) {
			session.onDatagram(datagram);
			return;
		}
		if (!mayBecomeSession(sessionId)) {
			this.stats.refused(EngineStats.DATAGRAM_UNKNOWN_SESSION);
			return;
		}
		earlyData().holdDatagram(sessionId, datagram);
	}

	private EarlyDataBuffer earlyData() {
		if (this.earlyData == null) {
			this.earlyData = new EarlyDataBuffer(this);
		}
		return this.earlyData;
	}

	/** The QUIC connection closed: every session ends, waiting streams are dropped. */
	public void connectionClosed() {
		for (SessionImpl session : sessions()) {
			session.onConnectStreamClosed();
		}
		if (this.earlyData != null) {
			this.earlyData.clear();
		}
	}

	/**
	 * Debug view of this connection.
	 * @return a JSON-friendly map of the connection's state
	 */
	public Map<String, Object> debugState() {
		Map<String, Object> state = new java.util.LinkedHashMap<>();
		state.put("remoteAddress", String.valueOf(this.channel.remoteSocketAddress()));
		state.put("peerDialect", this.peerDialect.name());
		state.put("maxDatagramFrameSize", this.maxDatagramFrameSize);
		List<Map<String, Object>> list = new ArrayList<>();
		for (SessionImpl session : sessions()) {
			list.add(Map.of("id", session.id(), "path", session.path(), "draining", session.isDraining()));
		}
		state.put("sessions", list);
		state.put("connectsInProgress", (this.connectsInProgress != null) ? this.connectsInProgress.size() : 0);
		earlyData().describeTo(state);
		return state;
	}

	static ConnectionState require(ChannelHandlerContext ctx) {
		return of(((QuicStreamChannel) ctx.channel()).parent());
	}

}
