import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from '../config/app-config';
import { databaseOptions } from './database-options';

// Used by the TypeORM CLI only (npm run migration:run|revert|generate).
export default new DataSource(databaseOptions(loadConfig().DATABASE_URL));
