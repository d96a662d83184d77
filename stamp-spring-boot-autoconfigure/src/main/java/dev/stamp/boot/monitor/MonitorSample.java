package dev.stamp.boot.monitor;

import java.time.Instant;
import java.util.Map;

/**
 * Every listener at one sampling instant, by protocol id.
 *
 * @param time when the sample was taken
 * @param listeners the listeners' samples
 */
public record MonitorSample(Instant time, Map<String, ListenerSample> listeners) {
}
