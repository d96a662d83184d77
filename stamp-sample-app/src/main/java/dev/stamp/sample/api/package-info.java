/**
 * The sample's small JSON API over HTTP, whose handlers return plain objects.
 */
package dev.stamp.sample.api;
