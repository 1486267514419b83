import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { prepared } from '../../database/prepared';
import { ActorRole, StatusChange, SubjectType } from './entities/status-change.entity';

export interface Actor {
  id: string | null;
  role: ActorRole;
}

export const SYSTEM_ACTOR: Actor = { id: null, role: 'system' };

/** Every state change of offers, needs, matches and pickups, written in the transaction that makes it. */
@Injectable()
export class HistoryService {
  constructor(@InjectRepository(StatusChange) private readonly changes: Repository<StatusChange>) {}

  async record(
    manager: EntityManager,
    subject: { type: SubjectType; id: string },
    actor: Actor,
    from: string | null,
    to: string,
    reason?: string,
  ): Promise<void> {
    await prepared(
      manager,
      'history-record',
      `INSERT INTO status_changes (subject_type, subject_id, actor_id, actor_role, from_status, to_status, reason)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [subject.type, subject.id, actor.id, actor.role, from, to, reason ?? null],
    );
  }

  list(type: SubjectType, id: string): Promise<StatusChange[]> {
    return this.changes.find({ where: { subjectType: type, subjectId: id }, order: { at: 'ASC', id: 'ASC' } });
  }
}
