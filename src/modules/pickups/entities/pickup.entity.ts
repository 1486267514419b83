import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const PICKUP_STATUSES = ['unassigned', 'assigned', 'collected', 'delivered', 'cancelled'] as const;
export type PickupStatus = (typeof PICKUP_STATUSES)[number];
export const FAILURE_REASONS = ['donor-absent', 'goods-not-as-described', 'does-not-fit', 'other'] as const;
export type FailureReason = (typeof FAILURE_REASONS)[number];

/** One trip of a volunteer: the accepted matches of one offer for one house. */
@Entity({ name: 'pickups' })
export class Pickup {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'offer_id', type: 'uuid' })
  offerId: string;

  @Column({ name: 'house_id', type: 'uuid' })
  houseId: string;

  @Column({ type: 'text', default: 'unassigned' })
  status: PickupStatus;

  @Column({ name: 'window_start', type: 'timestamptz', nullable: true })
  windowStart: Date | null;

  @Column({ name: 'window_end', type: 'timestamptz', nullable: true })
  windowEnd: Date | null;

  @Column({ name: 'volunteer_id', type: 'uuid', nullable: true })
  volunteerId: string | null;

  @Column({ type: 'integer', default: 0 })
  round: number;

  @Column({ name: 'failed_attempts', type: 'integer', default: 0 })
  failedAttempts: number;

  @Column({ name: 'last_failure', type: 'text', nullable: true })
  lastFailure: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
