import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The open pickups of an offer, read (and locked) when its donor changes its availability or size
 * (PickupsService.scheduleOfferPickups). Only the unassigned ones had an index (the uniqueness rule),
 * so that read went through every open pickup: 6.7 ms on the benchmark's 50,000 pickups.
 */
export class PickupsByOffer1764450000000 implements MigrationInterface {
  name = 'PickupsByOffer1764450000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX pickups_offer_idx ON pickups (offer_id)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX pickups_offer_idx`);
  }
}
