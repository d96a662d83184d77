/**
 * The monitor: samples every listener on an interval, keeps a bounded history, raises
 * alerts (a listener down, connections near the limit, refusals) and diagnoses
 * configuration that is risky in production.
 */
@NullMarked
package dev.stamp.boot.monitor;

import org.jspecify.annotations.NullMarked;
