/**
 * The sample application: the spec's server examples (TCP and WebSocket echo, chat, an
 * HTTP site with a JSON API, WebTransport echo) served by one Spring Boot application.
 */
package dev.stamp.sample;
