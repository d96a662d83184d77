package dev.stamp.boot.http;

import reactor.netty.http.server.HttpServer;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.stamp.boot.StampAutoConfiguration;
import dev.stamp.boot.StampProperties;
import dev.stamp.boot.listener.ListenerContext;
import dev.stamp.boot.routing.StampRoutes;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} of the HTTP listener ({@code stamp.http.*}). It starts when a
 * {@link dev.stamp.boot.StampRoute} method takes an {@link HttpRequest} or declares
 * {@code protocol = HTTP}. Objects returned by handlers are written as JSON with the
 * application's Jackson {@link JsonMapper} when Jackson is present.
 */
@AutoConfiguration(after = StampAutoConfiguration.class,
		afterName = "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration")
@ConditionalOnBean(ListenerContext.class)
@ConditionalOnClass(HttpServer.class)
@ConditionalOnBooleanProperty(name = "stamp.http.enabled", matchIfMissing = true)
public final class HttpAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	HttpListener stampHttpListener(StampProperties properties, StampRoutes routes, ListenerContext context,
			ObjectProvider<JsonWriter> jsonWriter) {
		return new HttpListener(properties.getHttp(), routes, context, jsonWriter.getIfAvailable());
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(JsonMapper.class)
	static class JacksonJsonWriterConfiguration {

		@Bean
		@ConditionalOnMissingBean
		JsonWriter stampJsonWriter(ObjectProvider<JsonMapper> jsonMapper) {
			JsonMapper mapper = jsonMapper.getIfAvailable(JsonMapper::shared);
			return mapper::writeValueAsBytes;
		}

	}

}
