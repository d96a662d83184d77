package dev.stamp.webtransport.support;

import java.util.concurrent.CompletableFuture;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http3.Http3DataFrame;
import io.netty.handler.codec.http3.Http3HeadersFrame;
import io.netty.handler.codec.http3.Http3RequestStreamInboundHandler;
import io.netty.handler.codec.quic.QuicException;

/**
 * A CONNECT request stream driven by the test: its response status, and the reset that
 * ends it.
 */
public final class RawConnect extends Http3RequestStreamInboundHandler {

	public final CompletableFuture<String> status = new CompletableFuture<>();

	public final CompletableFuture<Void> reset = new CompletableFuture<>();

	@Override
	protected void channelRead(ChannelHandlerContext ctx, Http3HeadersFrame frame) {
		this.status.complete(String.valueOf(frame.headers().status()));
	}

	@Override
	protected void channelRead(ChannelHandlerContext ctx, Http3DataFrame frame) {
		frame.release();
	}

	@Override
	protected void channelInputClosed(ChannelHandlerContext ctx) {
		this.reset.completeExceptionally(new IllegalStateException("CONNECT stream ended without a reset"));
	}

	@Override
	protected void handleQuicException(ChannelHandlerContext ctx, QuicException exception) {
		this.reset.completeExceptionally(exception);
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) {
		this.reset.completeExceptionally(new IllegalStateException("CONNECT stream closed without a reset"));
		ctx.fireChannelInactive();
	}

}
