package io.pledge.rights;

import io.pledge.kit.testing.ServiceFoundationContract;
import io.quarkus.test.junit.QuarkusTest;

/**
 * rights-request-service against the real PostgreSQL database pledge_rights and the real local Kafka broker: started,
 * migrated, UP, and answering bad input with problems (see {@link ServiceFoundationContract}).
 */
@QuarkusTest
class FoundationTest extends ServiceFoundationContract {

    @Override
    protected String database() {
        return "pledge_rights";
    }
}
