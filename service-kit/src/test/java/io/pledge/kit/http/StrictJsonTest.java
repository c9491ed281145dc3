package io.pledge.kit.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pledge.kit.problem.Problem;
import io.pledge.kit.problem.ProblemMappers;
import io.pledge.kit.problem.ProblemType;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The strict mapper every service reads bodies with, and the problems its refusals become: plain Jackson, nothing
 * faked. The same rules are proven over HTTP in every service by {@code ServiceFoundationContract}.
 */
class StrictJsonTest {

    enum Colour { RED, GREEN }

    record Inner(String name, int count) {
    }

    record Body(String text, int number, Integer boxed, long big, double ratio, boolean flag, Boolean maybe,
                Colour colour, Inner inner, List<Inner> items) {
    }

    private final ObjectMapper mapper = StrictJson.apply(new ObjectMapper());

    @Test
    void wellTypedBodiesAreRead() throws JsonProcessingException {
        Body b = mapper.readValue("{\"text\":\"t\",\"number\":1,\"boxed\":2,\"big\":3,\"ratio\":1.5,\"flag\":true,"
                + "\"maybe\":false,\"colour\":\"RED\",\"inner\":{\"name\":\"n\",\"count\":4},"
                + "\"items\":[{\"name\":\"m\",\"count\":5}]}", Body.class);
        assertThat(b).isEqualTo(new Body("t", 1, 2, 3, 1.5, true, false, Colour.RED, new Inner("n", 4),
                List.of(new Inner("m", 5))));
        // an integer is a fine double; absent and null are not coercions
        assertThat(mapper.readValue("{\"ratio\":2,\"text\":null}", Body.class).ratio()).isEqualTo(2.0);
    }

    @Test
    void aKeyGivenTwiceIsInvalidInputNamingTheField() {
        assertThat(problem("{\"text\":\"a\",\"text\":\"b\"}")).satisfies(p -> invalid(p, "text"));
        assertThat(problem("{\"inner\":{\"name\":\"a\",\"count\":1,\"name\":\"b\"}}")).satisfies(p -> invalid(p, "inner.name"));
        assertThat(problem("{\"items\":[{\"name\":\"a\"},{\"count\":1,\"count\":2}]}"))
                .satisfies(p -> invalid(p, "items[1].count"));
    }

    @Test
    void scalarsOfTheWrongKindAreInvalidInputNamingTheField() {
        assertThat(problem("{\"text\":1}")).satisfies(p -> invalid(p, "text"));
        assertThat(problem("{\"text\":1.5}")).satisfies(p -> invalid(p, "text"));
        assertThat(problem("{\"text\":true}")).satisfies(p -> invalid(p, "text"));
        assertThat(problem("{\"number\":\"12\"}")).satisfies(p -> invalid(p, "number"));
        assertThat(problem("{\"number\":1.5}")).satisfies(p -> invalid(p, "number"));
        assertThat(problem("{\"number\":true}")).satisfies(p -> invalid(p, "number"));
        assertThat(problem("{\"boxed\":\"12\"}")).satisfies(p -> invalid(p, "boxed"));
        assertThat(problem("{\"big\":\"12\"}")).satisfies(p -> invalid(p, "big"));
        assertThat(problem("{\"ratio\":\"1.5\"}")).satisfies(p -> invalid(p, "ratio"));
        assertThat(problem("{\"flag\":\"true\"}")).satisfies(p -> invalid(p, "flag"));
        assertThat(problem("{\"flag\":1}")).satisfies(p -> invalid(p, "flag"));
        assertThat(problem("{\"maybe\":\"false\"}")).satisfies(p -> invalid(p, "maybe"));
        assertThat(problem("{\"maybe\":0}")).satisfies(p -> invalid(p, "maybe"));
        assertThat(problem("{\"colour\":0}")).satisfies(p -> invalid(p, "colour"));
        assertThat(problem("{\"inner\":{\"count\":\"4\"}}")).satisfies(p -> invalid(p, "inner.count"));
        assertThat(problem("{\"items\":[{\"name\":7}]}")).satisfies(p -> invalid(p, "items[0].name"));
    }

    @Test
    void brokenJsonStaysMalformed() {
        assertThat(problem("{\"text\": ").type()).isEqualTo(ProblemType.MALFORMED_JSON.uri());
    }

    @Test
    void onlyApplicationJsonIsJson() {
        assertThat(StrictJson.isJson("application/json")).isTrue();
        assertThat(StrictJson.isJson("Application/JSON; charset=UTF-8")).isTrue();
        assertThat(StrictJson.isJson("application/json;charset=utf-8")).isTrue();
        assertThat(StrictJson.isJson(null)).isFalse();
        assertThat(StrictJson.isJson("")).isFalse();
        assertThat(StrictJson.isJson("text/plain")).isFalse();
        assertThat(StrictJson.isJson("text/json")).isFalse();
        assertThat(StrictJson.isJson("application/jsonx")).isFalse();
        assertThat(StrictJson.isJson("application/json-patch+json")).isFalse();
        assertThat(StrictJson.isJson("application/x-www-form-urlencoded")).isFalse();
    }

    private Problem problem(String json) {
        JsonProcessingException e = catchThrowableOfType(JsonProcessingException.class,
                () -> mapper.readValue(json, Body.class));
        assertThat(e).as("refused: %s", json).isNotNull();
        return ProblemMappers.fromJackson(e);
    }

    private static void invalid(Problem p, String field) {
        assertThat(p.type()).isEqualTo(ProblemType.INVALID_INPUT.uri());
        assertThat(p.status()).isEqualTo(400);
        assertThat(p.field()).isEqualTo(field);
        assertThat(p.detail()).contains(field);
    }
}
