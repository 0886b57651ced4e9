/**
 * Before each test file of the integration-pg project: the server code's database is a new,
 * empty PostgreSQL database of its own in the throwaway cluster (DATABASE_URL), and
 * KSC_TEST_PG_URL lets freshDatabase() make more.
 */
import { inject } from 'vitest';
import { createTestDatabase } from '../helpers/db';

const admin = inject('kscPgUrl');
process.env.KSC_TEST_PG_URL = admin;
process.env.DATABASE_URL = await createTestDatabase(admin);
