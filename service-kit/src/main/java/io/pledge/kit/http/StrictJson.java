package io.pledge.kit.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;
import java.util.Locale;

/**
 * The JSON every Pledge request body is read with: a key given twice is refused (not "last one wins"), and a
 * scalar of the wrong kind is refused instead of coerced ({@code "true"} for a boolean, {@code 1} for a string,
 * {@code "12"} or {@code 1.5} for an int, a number for an enum). Applied to the application's
 * {@link ObjectMapper}, which the REST layer and the services' own body parsers use; what it refuses becomes a
 * 400 {@code invalid-input} problem naming the field (see {@code ProblemMappers.fromJackson}).
 */
@Singleton
public class StrictJson implements ObjectMapperCustomizer {

    private static final String JSON = "application/json";

    @Override
    public void customize(ObjectMapper mapper) {
        apply(mapper);
    }

    /** Makes {@code mapper} strict; returns it. */
    @SuppressWarnings("deprecation") // MapperFeature on a built mapper: still the one switch for scalar coercion
    public static ObjectMapper apply(ObjectMapper mapper) {
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        mapper.disable(MapperFeature.ALLOW_COERCION_OF_SCALARS);
        mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        mapper.enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS);
        // a scalar is read only into its own kind: no number or boolean becomes a string, no string a number or
        // a boolean, no number a boolean (the defaults allow each of these)
        refuse(mapper, LogicalType.Textual, CoercionInputShape.Integer, CoercionInputShape.Float,
                CoercionInputShape.Boolean);
        refuse(mapper, LogicalType.Integer, CoercionInputShape.String, CoercionInputShape.Float,
                CoercionInputShape.Boolean);
        refuse(mapper, LogicalType.Float, CoercionInputShape.String, CoercionInputShape.Boolean);
        refuse(mapper, LogicalType.Boolean, CoercionInputShape.String, CoercionInputShape.Integer,
                CoercionInputShape.Float);
        refuse(mapper, LogicalType.Enum, CoercionInputShape.Integer, CoercionInputShape.Float,
                CoercionInputShape.Boolean);
        return mapper;
    }

    private static void refuse(ObjectMapper mapper, LogicalType target, CoercionInputShape... shapes) {
        for (CoercionInputShape shape : shapes) {
            mapper.coercionConfigFor(target).setCoercion(shape, CoercionAction.Fail);
        }
    }

    /**
     * Whether a Content-Type names JSON: {@code application/json}, in any case, with or without parameters such
     * as {@code charset}. Nothing else ({@code text/json}, {@code application/jsonx}, none at all) is JSON here.
     */
    public static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String mediaType = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
        return mediaType.toLowerCase(Locale.ROOT).equals(JSON);
    }
}
