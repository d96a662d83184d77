/**
 * HTTP/1.1 endpoints: routes by path and method, one {@link dev.stamp.boot.StampRoute}
 * handler call per request.
 */
@NullMarked
package dev.stamp.boot.http;

import org.jspecify.annotations.NullMarked;
