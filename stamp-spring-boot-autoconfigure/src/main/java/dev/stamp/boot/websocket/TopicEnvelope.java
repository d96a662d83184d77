package dev.stamp.boot.websocket;

import java.util.Base64;

import dev.stamp.boot.topic.TopicCatchUp;
import dev.stamp.boot.topic.TopicMessage;

/**
 * The JSON text frames of a client that chose the subprotocol
 * {@link WebSocketConnection#TOPICS_SUBPROTOCOL}: each topic message with its topic and
 * offset, and the outcome of resuming after an offset.
 */
final class TopicEnvelope {

	private TopicEnvelope() {
	}

	/**
	 * A message as {@code {"topic":..,"offset":..,"text":..}}, or {@code "base64"} for
	 * bytes; without {@code "offset"} when the topic keeps no history.
	 * @param message the message
	 * @return the JSON
	 */
	static String message(TopicMessage message) {
		StringBuilder json = new StringBuilder(message.payload().length + 64).append("{\"topic\":");
		string(json, message.topic());
		if (message.offset() != null) {
			json.append(",\"offset\":");
			string(json, message.offset());
		}
		if (message.binary()) {
			json.append(",\"base64\":\"").append(Base64.getEncoder().encodeToString(message.payload())).append('"');
		}
		else {
			json.append(",\"text\":");
			string(json, message.text());
		}
		return json.append('}').toString();
	}

	/**
	 * The outcome of resuming as {@code {"topic":..,"recovered":..,"replayed":..}}.
	 * @param topic the topic
	 * @param outcome the outcome
	 * @return the JSON
	 */
	static String recovery(String topic, TopicCatchUp.Outcome outcome) {
		StringBuilder json = new StringBuilder(64).append("{\"topic\":");
		string(json, topic);
		return json.append(",\"recovered\":")
			.append(outcome.complete())
			.append(",\"replayed\":")
			.append(outcome.replayed())
			.append('}')
			.toString();
	}

	private static void string(StringBuilder json, String value) {
		json.append('"');
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			switch (c) {
				case '"' -> json.append("\\\"");
				case '\\' -> json.append("\\\\");
				case '\n' -> json.append("\\n");
				case '\r' -> json.append("\\r");
				case '\t' -> json.append("\\t");
				default -> {
					if (c < 0x20) {
						json.append(String.format("\\u%04x", (int) c));
					}
					else {
						json.append(c);
					}
				}
			}
		}
		json.append('"');
	}

}
