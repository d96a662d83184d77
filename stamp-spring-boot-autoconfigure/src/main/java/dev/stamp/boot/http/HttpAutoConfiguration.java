package dev.stamp.boot.http;

import java.util.List;

import reactor.netty.http.server.HttpServer;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.PropertyMapper;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.stamp.boot.StampAutoConfiguration;
import dev.stamp.boot.StampProperties;
import dev.stamp.boot.StampProtocol;
import dev.stamp.boot.listener.ListenerContext;
import dev.stamp.boot.listener.StampListenerFactory;
import dev.stamp.boot.routing.StampRoutes;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} of the HTTP listener ({@code stamp.http.*}). It starts when a
 * {@link dev.stamp.boot.StampRoute} method takes an {@link HttpRequest} or declares
 * {@code protocol = HTTP}. Objects returned by handlers are written as JSON with the
 * application's Jackson {@link JsonMapper} when Jackson is present. The server can be
 * customized further with {@link StampHttpServerCustomizer} beans.
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
			ObjectProvider<JsonWriter> jsonWriter, ObjectProvider<StampHttpServerCustomizer> customizers) {
		return new HttpListener(settings(properties.getHttp()), routes, context, jsonWriter.getIfAvailable(),
				customizers.orderedStream().toList());
	}

	@Bean
	@ConditionalOnMissingBean(name = "stampHttpListenerFactory")
	StampListenerFactory<HttpListenerSettings> stampHttpListenerFactory(StampProperties properties, StampRoutes routes,
			ListenerContext context, ObjectProvider<JsonWriter> jsonWriter,
			ObjectProvider<StampHttpServerCustomizer> customizers) {
		JsonWriter writer = jsonWriter.getIfAvailable();
		List<StampHttpServerCustomizer> applied = customizers.orderedStream().toList();
		return new StampListenerFactory<>(StampProtocol.HTTP, HttpListenerSettings.class,
				(settings) -> new HttpListener(settings, routes, context, writer, applied),
				properties.getHttp().buildAdditionalListenerSettings(() -> settings(properties.getHttp())));
	}

	private static HttpListenerSettings settings(StampProperties.Http properties) {
		HttpListenerSettings settings = properties.applyTo(new HttpListenerSettings());
		PropertyMapper map = PropertyMapper.get();
		map.from(properties::getMaxRequestSize).to(settings::setMaxRequestSize);
		map.from(properties::getMaxHeaderSize).to(settings::setMaxHeaderSize);
		map.from(properties::getRequestHeaderTimeout).to(settings::setRequestHeaderTimeout);
		map.from(properties::getRequestBodyTimeout).to(settings::setRequestBodyTimeout);
		return settings;
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
