package dev.stamp.boot.cluster;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.data.redis.core.ReactiveRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

import dev.stamp.boot.topic.TopicHistory;
import dev.stamp.boot.topic.TopicMessage;
import dev.stamp.boot.topic.TopicOffsets;

/**
 * Each topic's latest messages in a Redis stream, {@code <prefix>history:<topic>}, whose
 * entry ids are the messages' offsets.
 * <p>
 * A batch of publishes is one Lua script, so that no node sees the message on the channel
 * before it is in the stream, and offsets follow the order of the channel: {@code XADD}
 * with {@code MAXLEN size}, {@code PEXPIRE ttl}, {@code PUBLISH} of the message with its
 * new id and the id of the entry before it, for each message of the batch in turn: the
 * ids of all nodes' publishes form one chain per topic, which {@link TopicSequencer}
 * follows, and {@link #between} fills its gaps. The script also records in the stream's
 * {@code max-deleted-entry-id} the newest entry that is no longer there: the one
 * {@code MAXLEN} trims, or, when it creates the stream (first publish, or the previous
 * one expired), the id just before its first entry. Redis 7.0 does not record trimmed
 * entries there by itself.
 * <p>
 * So messages after an offset were lost if and only if {@code max-deleted-entry-id} is
 * after the offset, or the stream is gone and the offset is not the latest this node
 * knows of the topic.
 */
final class RedisTopicHistory {

	private static final int MAX_KNOWN_TOPICS = 10_000;

	// KEYS: per message its stream and its channel. ARGV: size, TTL, node id, the
	// channel header of a text message and of a binary one, then per message its flags
	// and payload. Returns per message its id and the id of the entry before it ('' when
	// it starts the stream), in order. The script is atomic, so the ids of every node's
	// publishes form one chain per stream.
	@SuppressWarnings("rawtypes")
	private static final RedisScript<List> PUBLISH = RedisScript.of("""
			local size = tonumber(ARGV[1])
			local ids = {}
			local newest = {}
			for i = 1, #KEYS / 2 do
			  local stream = KEYS[2 * i - 1]
			  local flags = ARGV[4 + 2 * i]
			  local payload = ARGV[5 + 2 * i]
			  local length = redis.call('XLEN', stream)
			  local previous = newest[stream]
			  if previous == nil then
			    previous = ''
			    if length > 0 then
			      previous = redis.call('XREVRANGE', stream, '+', '-', 'COUNT', 1)[1][1]
			    end
			  end
			  local deleted = nil
			  if length >= size then
			    local trimmed = redis.call('XRANGE', stream, '-', '+', 'COUNT', length - size + 1)
			    deleted = trimmed[#trimmed][1]
			  end
			  local id = redis.call('XADD', stream, 'MAXLEN', size, '*',
			      'node', ARGV[3], 'flags', flags, 'payload', payload)
			  if length == 0 then
			    local dash = string.find(id, '-', 1, true)
			    local ms = tonumber(string.sub(id, 1, dash - 1))
			    local seq = tonumber(string.sub(id, dash + 1))
			    if seq > 0 then
			      deleted = string.format('%d-%d', ms, seq - 1)
			    else
			      deleted = string.format('%d-18446744073709551615', ms - 1)
			    end
			  end
			  if deleted then
			    redis.call('XSETID', stream, id, 'MAXDELETEDID', deleted)
			  end
			  redis.call('PEXPIRE', stream, ARGV[2])
			  local header = (flags == '1') and ARGV[5] or ARGV[4]
			  redis.call('PUBLISH', KEYS[2 * i],
			      header .. string.char(#id) .. id .. string.char(#previous) .. previous .. payload)
			  newest[stream] = id
			  ids[2 * i - 1] = id
			  ids[2 * i] = previous
			end
			return ids
			""", List.class);

	// KEYS: the stream. ARGV: after, before (both exclusive), count.
	@SuppressWarnings("rawtypes")
	private static final RedisScript<List> RANGE = RedisScript.of("""
			return redis.call('XRANGE', KEYS[1], '(' .. ARGV[1], '(' .. ARGV[2], 'COUNT', ARGV[3])
			""", List.class);

	@SuppressWarnings("rawtypes")
	private static final RedisScript<List> READ = RedisScript.of("""
			local stream = KEYS[1]
			if redis.call('EXISTS', stream) == 0 then
			  return {}
			end
			local info = redis.call('XINFO', 'STREAM', stream)
			local deleted = '0-0'
			local last = '0-0'
			for i = 1, #info, 2 do
			  if info[i] == 'max-deleted-entry-id' then deleted = info[i + 1] end
			  if info[i] == 'last-generated-id' then last = info[i + 1] end
			end
			if ARGV[1] == '' then
			  return {deleted, last, {}}
			end
			return {deleted, last, redis.call('XRANGE', stream, '(' .. ARGV[1], '+')}
			""", List.class);

	private static final byte[] BINARY = { '1' };

	private static final byte[] TEXT = { '0' };

	private final ReactiveRedisTemplate<String, byte[]> redis;

	private final ClusterKeys keys;

	private final byte[] size;

	private final byte[] ttlMillis;

	/**
	 * The latest offset seen per topic, for the topics used most recently: bounded,
	 * because clients make topics (one per concrete path of a pattern route).
	 */
	private final Map<String, String> latestKnown = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {

		@Override
		protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
			return size() > MAX_KNOWN_TOPICS;
		}

	});

	RedisTopicHistory(ReactiveRedisTemplate<String, byte[]> redis, ClusterKeys keys, int size, Duration ttl) {
		this.redis = redis;
		this.keys = keys;
		this.size = ascii(Integer.toString(size));
		this.ttlMillis = ascii(Long.toString(ttl.toMillis()));
	}

	/**
	 * Adds messages to their topics' histories and publishes them to the other nodes, in
	 * one round trip and in order.
	 * @param nodeId the publishing node
	 * @param messages the messages, without offsets
	 * @return the messages' offsets and their predecessors', in the same order
	 */
	Mono<List<Appended>> publish(String nodeId, List<TopicMessage> messages) {
		List<String> keys = new ArrayList<>(2 * messages.size());
		List<byte[]> args = new ArrayList<>(5 + 2 * messages.size());
		args.addAll(List.of(this.size, this.ttlMillis, nodeId.getBytes(StandardCharsets.UTF_8),
				TopicMessageCodec.headerWithOffset(nodeId, false), TopicMessageCodec.headerWithOffset(nodeId, true)));
		for (TopicMessage message : messages) {
			keys.add(this.keys.history(message.topic()));
			keys.add(this.keys.topicChannel(message.topic()));
			args.add(message.binary() ? BINARY : TEXT);
			args.add(message.payload());
		}
		return this.redis.execute(PUBLISH, keys, args)
			.collectList()
			.map(RedisTopicHistory::unwrap)
			.map(RedisTopicHistory::appended);
	}

	private static List<Appended> appended(List<?> ids) {
		List<Appended> appended = new ArrayList<>(ids.size() / 2);
		for (int i = 0; i + 1 < ids.size(); i += 2) {
			String previous = text(ids.get(i + 1));
			appended.add(new Appended(text(ids.get(i)), previous.isEmpty() ? null : previous));
		}
		return appended;
	}

	/**
	 * The entries of a topic's history between two offsets, for a node that misses them.
	 * @param topic the topic
	 * @param afterOffset the entries after this offset (exclusive)
	 * @param beforeOffset and before this one (exclusive)
	 * @param count entries at most
	 * @return the entries, oldest first
	 */
	Mono<List<TopicMessage>> between(String topic, String afterOffset, String beforeOffset, int count) {
		return this.redis
			.execute(RANGE, List.of(this.keys.history(topic)),
					List.of(ascii(afterOffset), ascii(beforeOffset), ascii(Integer.toString(count))))
			.collectList()
			.map((reply) -> messages(topic, entries(reply)));
	}

	// XRANGE's reply comes as a list of entries, or entry by entry, or, when empty, as
	// nothing or one empty list, depending on the driver.
	private static List<?> entries(List<?> reply) {
		if (reply.size() == 1 && reply.get(0) instanceof List<?> only
				&& (only.isEmpty() || only.get(0) instanceof List<?>)) {
			return only;
		}
		return reply;
	}

	/**
	 * Notes an offset delivered on this node, the latest one of its topic this node
	 * knows.
	 * @param message a message delivered on this node
	 */
	void delivered(TopicMessage message) {
		String offset = message.offset();
		if (offset != null) {
			this.latestKnown.merge(message.topic(), offset,
					(known, added) -> (TopicOffsets.compare(added, known) > 0) ? added : known);
		}
	}

	/**
	 * The messages of a topic's history after an offset.
	 * @param topic the topic
	 * @param afterOffset the offset of the last message the caller has
	 * @return the messages and whether none was lost
	 */
	Mono<TopicHistory> read(String topic, String afterOffset) {
		return run(topic, afterOffset).map((reply) -> {
			if (reply.isEmpty()) {
				return new TopicHistory(topic, List.of(), afterOffset.equals(this.latestKnown.get(topic)));
			}
			String deleted = text(reply.get(0));
			boolean complete = TopicOffsets.compare(deleted, afterOffset) <= 0;
			return new TopicHistory(topic, messages(topic, (List<?>) reply.get(2)), complete);
		});
	}

	/**
	 * The offset of a topic's latest message.
	 * @param topic the topic
	 * @return the offset, or the latest this node knows when the history is gone, or
	 * empty
	 */
	Mono<String> latestOffset(String topic) {
		return run(topic, "")
			.flatMap((reply) -> Mono.justOrEmpty(reply.isEmpty() ? this.latestKnown.get(topic) : text(reply.get(1))));
	}

	private Mono<List<?>> run(String topic, String afterOffset) {
		return this.redis.execute(READ, List.of(this.keys.history(topic)), List.of(ascii(afterOffset)))
			.collectList()
			.map(RedisTopicHistory::unwrap);
	}

	// The reactive executor emits a multi-bulk reply as one list or element by element,
	// depending on the driver: accept both.
	private static List<?> unwrap(List<?> reply) {
		return (reply.size() == 1 && reply.get(0) instanceof List<?> list) ? list : reply;
	}

	private static List<TopicMessage> messages(String topic, List<?> entries) {
		List<TopicMessage> messages = new ArrayList<>(entries.size());
		for (Object entry : entries) {
			List<?> idAndFields = (List<?>) entry;
			String id = text(idAndFields.get(0));
			List<?> fields = (List<?>) idAndFields.get(1);
			String node = "";
			boolean binary = false;
			byte[] payload = new byte[0];
			for (int i = 0; i + 1 < fields.size(); i += 2) {
				String name = text(fields.get(i));
				byte[] value = (byte[]) fields.get(i + 1);
				switch (name) {
					case "node" -> node = new String(value, StandardCharsets.UTF_8);
					case "flags" -> binary = value.length == 1 && value[0] == '1';
					case "payload" -> payload = value;
					default -> {
						// A field of a newer version: ignored.
					}
				}
			}
			messages.add(new TopicMessage(topic, payload, binary, node, id));
		}
		return messages;
	}

	private static String text(@Nullable Object value) {
		return (value instanceof byte[] bytes) ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(value);
	}

	private static byte[] ascii(String text) {
		return text.getBytes(StandardCharsets.US_ASCII);
	}

	/**
	 * A message added to its topic's history.
	 *
	 * @param offset its offset
	 * @param previousOffset the offset of the entry before it, or {@code null} when it
	 * started the stream
	 */
	record Appended(String offset, @Nullable String previousOffset) {
	}

}
