package dev.stamp.boot.topic;

import reactor.core.publisher.Flux;

/**
 * A subscription that resumes after an offset: first the messages missed since then, from
 * the topic's history, then the live ones, without a gap and without a duplicate.
 * Subscribe to {@link #messages()} once; until then the live messages wait in the
 * subscriber's buffer ({@code stamp.topics.subscriber-buffer-size}).
 *
 * @param complete {@code true} when {@link #messages()} replays everything published
 * after the offset; {@code false} when the history no longer reaches back that far: some
 * messages were lost, and a client should resynchronise its state by other means
 * @param replayed how many messages come from the history before the live ones
 * @param messages the replayed messages, then the live ones
 */
public record TopicRecovery(boolean complete, int replayed, Flux<TopicMessage> messages) {

}
