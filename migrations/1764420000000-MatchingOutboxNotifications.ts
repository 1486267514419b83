import { MigrationInterface, QueryRunner } from 'typeorm';

export class MatchingOutboxNotifications1764420000000 implements MigrationInterface {
  name = 'MatchingOutboxNotifications1764420000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE outbox (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        queue text NOT NULL,
        job_name text NOT NULL,
        payload jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        sent_at timestamptz,
        attempts integer NOT NULL DEFAULT 0,
        last_error text
      )`);
    await queryRunner.query(`CREATE INDEX outbox_pending_idx ON outbox (created_at) WHERE sent_at IS NULL`);
    await queryRunner.query(`CREATE INDEX outbox_sent_idx ON outbox (sent_at) WHERE sent_at IS NOT NULL`);

    await queryRunner.query(`
      CREATE TABLE matches (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        offer_id uuid NOT NULL CONSTRAINT matches_offer_fk REFERENCES offers(id),
        need_id uuid NOT NULL CONSTRAINT matches_need_fk REFERENCES needs(id),
        quantity integer NOT NULL CONSTRAINT matches_quantity_positive CHECK (quantity > 0),
        score double precision NOT NULL,
        distance_km double precision NOT NULL CONSTRAINT matches_distance_check CHECK (distance_km >= 0),
        status text NOT NULL DEFAULT 'proposed'
          CONSTRAINT matches_status_check CHECK (status IN ('proposed', 'accepted', 'delivered', 'declined', 'cancelled')),
        reason text,
        decided_by uuid CONSTRAINT matches_decided_by_fk REFERENCES users(id),
        decided_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // At most one open proposal per pair; a declined pair is never proposed again (checked by the engine).
    await queryRunner.query(`CREATE UNIQUE INDEX matches_one_proposal_per_pair ON matches (offer_id, need_id) WHERE status = 'proposed'`);
    await queryRunner.query(`CREATE INDEX matches_offer_idx ON matches (offer_id, status)`);
    await queryRunner.query(`CREATE INDEX matches_need_idx ON matches (need_id, status)`);
    await queryRunner.query(`CREATE INDEX matches_listing_idx ON matches (created_at DESC, id DESC)`);

    // The invariant "proposed + accepted + delivered ≤ quantity", for every offer and need, lives in
    // the database: this trigger keeps quantity_allocated and quantity_delivered equal to the sums of
    // the matches, and the CHECK constraints on offers and needs refuse any change that exceeds them.
    // The UPDATEs also lock the offer and need rows, which serialises concurrent allocations.
    await queryRunner.query(`
      CREATE FUNCTION matches_maintain_quantities() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        active_delta integer := 0;
        delivered_delta integer := 0;
        changed_offer uuid;
        old_status text;
        new_status text;
        need_status text;
      BEGIN
        IF TG_OP = 'UPDATE' AND (NEW.offer_id <> OLD.offer_id OR NEW.need_id <> OLD.need_id) THEN
          RAISE EXCEPTION 'a match cannot move to another offer or need' USING ERRCODE = 'check_violation';
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
          IF NEW.status IN ('proposed', 'accepted', 'delivered') THEN active_delta := active_delta + NEW.quantity; END IF;
          IF NEW.status = 'delivered' THEN delivered_delta := delivered_delta + NEW.quantity; END IF;
        END IF;
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
          IF OLD.status IN ('proposed', 'accepted', 'delivered') THEN active_delta := active_delta - OLD.quantity; END IF;
          IF OLD.status = 'delivered' THEN delivered_delta := delivered_delta - OLD.quantity; END IF;
        END IF;
        IF active_delta <> 0 OR delivered_delta <> 0 THEN
          -- An offer is 'allocated' while all of it is promised, 'open' while some is free.
          SELECT status INTO old_status FROM offers WHERE id = COALESCE(NEW.offer_id, OLD.offer_id) FOR UPDATE;
          -- A new proposal needs both sides still open: an engine that read them before a
          -- withdrawal or a cancellation committed fails here, and its job runs again.
          IF TG_OP = 'INSERT' AND NEW.status = 'proposed' THEN
            SELECT status INTO need_status FROM needs WHERE id = NEW.need_id FOR UPDATE;
            IF old_status NOT IN ('open', 'allocated') OR need_status <> 'open' THEN
              RAISE EXCEPTION 'cannot propose: offer %, need %', old_status, need_status USING ERRCODE = 'check_violation';
            END IF;
          END IF;
          UPDATE offers
             SET quantity_allocated = quantity_allocated + active_delta,
                 quantity_delivered = quantity_delivered + delivered_delta,
                 status = CASE
                   WHEN status NOT IN ('open', 'allocated') THEN status
                   WHEN quantity_allocated + active_delta >= quantity THEN 'allocated'
                   ELSE 'open' END,
                 updated_at = now()
           WHERE id = COALESCE(NEW.offer_id, OLD.offer_id)
          RETURNING id, status INTO changed_offer, new_status;
          IF old_status IS DISTINCT FROM new_status THEN
            INSERT INTO status_changes (subject_type, subject_id, actor_role, from_status, to_status, reason)
            VALUES ('offer', changed_offer, 'system', old_status, new_status, 'allocation changed');
          END IF;
          UPDATE needs
             SET quantity_allocated = quantity_allocated + active_delta,
                 quantity_delivered = quantity_delivered + delivered_delta
           WHERE id = COALESCE(NEW.need_id, OLD.need_id);
        END IF;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER matches_quantities
        AFTER INSERT OR UPDATE OF status, quantity, offer_id, need_id OR DELETE ON matches
        FOR EACH ROW EXECUTE FUNCTION matches_maintain_quantities()`);

    await queryRunner.query(`
      CREATE TABLE notifications (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL CONSTRAINT notifications_user_fk REFERENCES users(id),
        kind text NOT NULL,
        data jsonb NOT NULL,
        dedup_key text NOT NULL CONSTRAINT notifications_dedup_key UNIQUE,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        read_at timestamptz
      )`);
    await queryRunner.query(`CREATE INDEX notifications_inbox_idx ON notifications (user_id, created_at DESC, id DESC)`);

    await queryRunner.query(`CREATE INDEX needs_category_open_idx ON needs (category_code) WHERE status = 'open'`);
    await queryRunner.query(`CREATE INDEX offers_category_open_idx ON offers (category_code) WHERE status IN ('open', 'allocated')`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX offers_category_open_idx`);
    await queryRunner.query(`DROP INDEX needs_category_open_idx`);
    await queryRunner.query(`DROP TABLE notifications`);
    await queryRunner.query(`DROP TRIGGER matches_quantities ON matches`);
    await queryRunner.query(`DROP FUNCTION matches_maintain_quantities()`);
    await queryRunner.query(`DROP TABLE matches`);
    await queryRunner.query(`DROP TABLE outbox`);
  }
}
