import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type SubjectType = 'offer' | 'need' | 'match' | 'pickup';
export type ActorRole = 'donor' | 'volunteer' | 'coordinator' | 'admin' | 'system';

@Entity({ name: 'status_changes' })
export class StatusChange {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'subject_type', type: 'text' })
  subjectType: SubjectType;

  @Column({ name: 'subject_id', type: 'uuid' })
  subjectId: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  at: Date;

  @Column({ name: 'actor_id', type: 'uuid', nullable: true })
  actorId: string | null;

  @Column({ name: 'actor_role', type: 'text' })
  actorRole: ActorRole;

  @Column({ name: 'from_status', type: 'text', nullable: true })
  fromStatus: string | null;

  @Column({ name: 'to_status', type: 'text' })
  toStatus: string;

  @Column({ type: 'text', nullable: true })
  reason: string | null;
}
