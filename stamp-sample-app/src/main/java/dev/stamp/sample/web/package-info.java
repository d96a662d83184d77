/**
 * The sample's pages on the HTTP listener: the chat page, {@code /about} and their
 * stylesheet.
 */
@NullMarked
package dev.stamp.sample.web;

import org.jspecify.annotations.NullMarked;
