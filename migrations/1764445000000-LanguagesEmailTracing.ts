import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each user reads the service in their language; notifications may also go out by e-mail,
 * once each; an outbox row remembers the request that asked for it, so one id finds the
 * request, its outbox rows and its jobs.
 */
export class LanguagesEmailTracing1764445000000 implements MigrationInterface {
  name = 'LanguagesEmailTracing1764445000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE users ADD COLUMN language text NOT NULL DEFAULT 'nl'
        CONSTRAINT users_language_check CHECK (language IN ('nl', 'fr', 'en'))`);
    // Set once the e-mail for this notification has been handed to the SMTP server.
    await queryRunner.query(`ALTER TABLE notifications ADD COLUMN emailed_at timestamptz`);
    await queryRunner.query(`
      ALTER TABLE outbox ADD COLUMN request_id text
        CONSTRAINT outbox_request_id_length CHECK (length(request_id) <= 100)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE outbox DROP COLUMN request_id`);
    await queryRunner.query(`ALTER TABLE notifications DROP COLUMN emailed_at`);
    await queryRunner.query(`ALTER TABLE users DROP COLUMN language`);
  }
}
