/**
 * The monitor: samples every listener on an interval, keeps a bounded history, raises
 * alerts (a listener down, connections near the limit, refusals) and diagnoses
 * configuration that is risky in production.
 */
package dev.stamp.boot.monitor;
