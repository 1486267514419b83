import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const MATCH_STATUSES = ['proposed', 'accepted', 'delivered', 'declined', 'cancelled'] as const;
export type MatchStatus = (typeof MATCH_STATUSES)[number];

/** A proposal that an offer gives `quantity` units to a need. */
@Entity({ name: 'matches' })
export class Match {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'offer_id', type: 'uuid' })
  offerId: string;

  @Column({ name: 'need_id', type: 'uuid' })
  needId: string;

  @Column({ type: 'integer' })
  quantity: number;

  @Column({ type: 'double precision' })
  score: number;

  @Column({ name: 'distance_km', type: 'double precision' })
  distanceKm: number;

  @Column({ type: 'text', default: 'proposed' })
  status: MatchStatus;

  @Column({ type: 'text', nullable: true })
  reason: string | null;

  @Column({ name: 'decided_by', type: 'uuid', nullable: true })
  decidedBy: string | null;

  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true })
  decidedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
