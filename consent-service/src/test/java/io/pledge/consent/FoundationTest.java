package io.pledge.consent;

import io.pledge.kit.testing.ServiceFoundationContract;
import io.quarkus.test.junit.QuarkusTest;

/**
 * consent-service against the real PostgreSQL database pledge_consent and the real local Kafka broker: started,
 * migrated, UP, and answering bad input with problems (see {@link ServiceFoundationContract}).
 */
@QuarkusTest
class FoundationTest extends ServiceFoundationContract {

    @Override
    protected String database() {
        return "pledge_consent";
    }
}
