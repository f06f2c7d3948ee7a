// Runs the ledger suite on PostgreSQL, each ledger in its own schema (dropped afterwards) so
// parallel runs never share tables. Set SWITCHYARD_TEST_POSTGRES to point at another server;
// SWITCHYARD_REQUIRE_POSTGRES (set by .ci/run) makes a missing server an error, not a skip.

import { postgresStorage } from "../storages.ts";
import { ledgerSuite } from "./suite.ts";

ledgerSuite("postgres", await postgresStorage());
