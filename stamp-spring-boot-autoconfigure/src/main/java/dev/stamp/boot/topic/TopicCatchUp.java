package dev.stamp.boot.topic;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * Brings a {@link TopicMember} that joined a topic after an offset up to date, for
 * Stamp's listeners: from the moment it joins, the member hands its deliveries to
 * {@link #offer(TopicMessage)}, which holds the live messages until the history after the
 * offset is read; then {@link StampTopics#join(String, TopicMember, TopicCatchUp)} tells
 * the member the {@link Outcome outcome} and the history is written, followed by the held
 * messages that are newer than its last one, and from then on messages go straight to the
 * client. As with {@link StampTopics#recover(String, String)}, the member joins before
 * the history is read, so nothing published meanwhile is missed and nothing is written
 * twice.
 */
public final class TopicCatchUp {

	private final String afterOffset;

	private final int maxHeld;

	private final Consumer<TopicMessage> client;

	private final Consumer<Outcome> outcome;

	private final List<TopicMessage> held = new ArrayList<>();

	private volatile boolean live;

	private boolean overflowed;

	/**
	 * Creates the catch-up of a member.
	 * @param afterOffset the offset of the last message the client has
	 * @param maxHeld live messages that may wait for the history, usually
	 * {@link StampTopics#subscriberBufferSize()}
	 * @param client writes a message to the client, in order
	 * @param outcome writes the outcome to the client, before the first replayed message
	 */
	public TopicCatchUp(String afterOffset, int maxHeld, Consumer<TopicMessage> client, Consumer<Outcome> outcome) {
		this.afterOffset = afterOffset;
		this.maxHeld = maxHeld;
		this.client = client;
		this.outcome = outcome;
	}

	/**
	 * The offset of the last message the client has.
	 * @return the offset
	 */
	public String afterOffset() {
		return this.afterOffset;
	}

	/**
	 * Takes a live message: holds it while the history is read, writes it after.
	 * @param message the message
	 * @return {@code false} once more than {@code maxHeld} messages waited for the
	 * history: the member should be cut off
	 */
	public boolean offer(TopicMessage message) {
		if (this.live) {
			this.client.accept(message);
			return true;
		}
		synchronized (this) {
			if (this.live) {
				this.client.accept(message);
				return true;
			}
			if (this.overflowed || this.held.size() >= this.maxHeld) {
				this.overflowed = true;
				this.held.clear();
				return false;
			}
			this.held.add(message);
			return true;
		}
	}

	/**
	 * Writes the outcome, the history, then the held messages newer than its last one,
	 * and lets the next messages through.
	 * @param history what the history holds after the offset, or {@code null} when there
	 * is none or it could not be read: then the outcome is incomplete and only the held
	 * messages are written
	 */
	synchronized void replay(@Nullable TopicHistory history) {
		if (this.live || this.overflowed) {
			return;
		}
		this.outcome.accept(
				(history != null) ? new Outcome(history.complete(), history.messages().size()) : new Outcome(false, 0));
		String last = this.afterOffset;
		if (history != null) {
			for (TopicMessage message : history.messages()) {
				this.client.accept(message);
				last = message.offset();
			}
		}
		for (TopicMessage message : this.held) {
			if (message.offset() == null || last == null || TopicOffsets.compare(message.offset(), last) > 0) {
				this.client.accept(message);
			}
		}
		this.held.clear();
		this.live = true;
	}

	/**
	 * Whether the history reached back to the client's offset.
	 *
	 * @param complete {@code true} when the client gets everything published after its
	 * offset; {@code false} when the history no longer reaches back that far, the topic
	 * keeps no history, or the history could not be read
	 * @param replayed how many messages come from the history before the live ones
	 */
	public record Outcome(boolean complete, int replayed) {
	}

}
