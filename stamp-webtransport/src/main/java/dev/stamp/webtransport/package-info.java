/**
 * The session API of Stamp's WebTransport engine, shared by server and client:
 * {@link dev.stamp.webtransport.WebTransportSession},
 * {@link dev.stamp.webtransport.WebTransportStream}, close information, exceptions and
 * statistics. Each type offers a reactive form (Reactor) and a blocking form.
 */
@NullMarked
package dev.stamp.webtransport;

import org.jspecify.annotations.NullMarked;
