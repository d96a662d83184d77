package dev.stamp.boot.monitor;

import java.time.Instant;
import java.util.Map;

/**
 * Every listener at one sampling instant, by listener name (the protocol id for a
 * protocol's main listener).
 *
 * @param time when the sample was taken
 * @param listeners the listeners' samples
 */
public record MonitorSample(Instant time, Map<String, ListenerSample> listeners) {
}
