/**
 * Load scenarios that measure Stamp's listeners and engine.
 */
@NullMarked
package dev.stamp.benchmarks;

import org.jspecify.annotations.NullMarked;
