import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const NOTIFICATION_KINDS = [
  'match-proposed',
  'match-accepted',
  'pickup-scheduled',
  'availability-needed',
  'pickup-available',
  'pickup-reminder',
  'pickup-unclaimed',
  'pickup-missed',
  'pickup-delivered',
  'pickup-withdrawn',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

@Entity({ name: 'notifications' })
export class Notification {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column({ type: 'text' })
  kind: NotificationKind;

  @Column({ type: 'jsonb' })
  data: Record<string, unknown>;

  /** One notification per effect: a retried job inserts the same key and nothing happens. */
  @Column({ name: 'dedup_key', type: 'text' })
  dedupKey: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'read_at', type: 'timestamptz', nullable: true })
  readAt: Date | null;
}
