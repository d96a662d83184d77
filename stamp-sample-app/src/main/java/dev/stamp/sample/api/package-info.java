/**
 * The sample's JSON API on the HTTP listener ({@code /api/data}).
 */
@NullMarked
package dev.stamp.sample.api;

import org.jspecify.annotations.NullMarked;
