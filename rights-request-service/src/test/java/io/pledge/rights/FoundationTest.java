package io.pledge.rights;

import io.pledge.kit.testing.ServiceFoundationContract;
import io.pledge.rights.support.RightsBroker;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * rights-request-service against the real PostgreSQL database pledge_rights and a real Kafka broker of the module's tests ({@link RightsBroker}): started,
 * migrated, UP, and answering bad input with problems (see {@link ServiceFoundationContract}).
 */
@QuarkusTest
@WithTestResource(value = RightsBroker.class, scope = TestResourceScope.GLOBAL)
class FoundationTest extends ServiceFoundationContract {

    @Override
    protected String database() {
        return "pledge_rights";
    }
}
