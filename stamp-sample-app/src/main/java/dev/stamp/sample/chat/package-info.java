/**
 * The sample's WebSocket chat ({@code /chat}).
 */
@NullMarked
package dev.stamp.sample.chat;

import org.jspecify.annotations.NullMarked;
