import { MigrationInterface, QueryRunner } from 'typeorm';

export class Pickups1764430000000 implements MigrationInterface {
  name = 'Pickups1764430000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // For the exclusion constraint that keeps a volunteer's claimed windows apart.
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS btree_gist`);

    await queryRunner.query(`
      ALTER TABLE houses ADD COLUMN receiving_hours jsonb NOT NULL
        DEFAULT '{"days": [1, 2, 3, 4, 5, 6], "from": "09:00", "to": "18:00"}'`);

    await queryRunner.query(`
      CREATE TABLE pickups (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        offer_id uuid NOT NULL CONSTRAINT pickups_offer_fk REFERENCES offers(id),
        house_id uuid NOT NULL CONSTRAINT pickups_house_fk REFERENCES houses(id),
        status text NOT NULL DEFAULT 'unassigned'
          CONSTRAINT pickups_status_check CHECK (status IN ('unassigned', 'assigned', 'collected', 'delivered', 'cancelled')),
        window_start timestamptz,
        window_end timestamptz,
        volunteer_id uuid CONSTRAINT pickups_volunteer_fk REFERENCES users(id),
        -- Raised each time the pickup is offered to volunteers again (released, missed, failed).
        round integer NOT NULL DEFAULT 0,
        failed_attempts integer NOT NULL DEFAULT 0,
        last_failure text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pickups_window_complete CHECK ((window_start IS NULL) = (window_end IS NULL)),
        CONSTRAINT pickups_window_ordered CHECK (window_end > window_start),
        CONSTRAINT pickups_window_at_most_3h CHECK (window_end - window_start <= interval '3 hours'),
        CONSTRAINT pickups_claimed_has_volunteer CHECK (status NOT IN ('assigned', 'collected', 'delivered') OR volunteer_id IS NOT NULL),
        CONSTRAINT pickups_unassigned_has_none CHECK (status <> 'unassigned' OR volunteer_id IS NULL),
        CONSTRAINT pickups_claimed_has_window CHECK (status NOT IN ('assigned', 'collected') OR window_start IS NOT NULL),
        -- No volunteer holds two pickups whose windows overlap.
        CONSTRAINT pickups_volunteer_no_overlap EXCLUDE USING gist (
          volunteer_id WITH =, tstzrange(window_start, window_end) WITH &&
        ) WHERE (status IN ('assigned', 'collected'))
      )`);
    // Accepted matches of one offer for one house travel together: one open pickup per pair.
    await queryRunner.query(`CREATE UNIQUE INDEX pickups_one_unassigned_per_offer_house ON pickups (offer_id, house_id) WHERE status = 'unassigned'`);
    await queryRunner.query(`CREATE INDEX pickups_status_window_idx ON pickups (status, window_start)`);
    await queryRunner.query(`CREATE INDEX pickups_house_idx ON pickups (house_id, created_at DESC)`);
    await queryRunner.query(`CREATE INDEX pickups_volunteer_idx ON pickups (volunteer_id, window_start DESC) WHERE volunteer_id IS NOT NULL`);

    await queryRunner.query(`ALTER TABLE matches ADD COLUMN pickup_id uuid CONSTRAINT matches_pickup_fk REFERENCES pickups(id)`);
    await queryRunner.query(`CREATE INDEX matches_pickup_idx ON matches (pickup_id) WHERE pickup_id IS NOT NULL`);

    await queryRunner.query(`ALTER TABLE outbox ADD COLUMN run_at timestamptz`);

    // A superseded proposal takes its unread notification with it.
    await queryRunner.query(
      `CREATE INDEX notifications_unread_proposal_idx ON notifications ((data->>'matchId')) WHERE kind = 'match-proposed' AND read_at IS NULL`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX notifications_unread_proposal_idx`);
    await queryRunner.query(`ALTER TABLE outbox DROP COLUMN run_at`);
    await queryRunner.query(`DROP INDEX matches_pickup_idx`);
    await queryRunner.query(`ALTER TABLE matches DROP COLUMN pickup_id`);
    await queryRunner.query(`DROP TABLE pickups`);
    await queryRunner.query(`ALTER TABLE houses DROP COLUMN receiving_hours`);
  }
}
