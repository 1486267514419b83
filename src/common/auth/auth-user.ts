import { Role } from '../../modules/users/entities/user.entity';

/** Who is calling, as the auth guard established it from the bearer token. */
export interface AuthUser {
  id: string;
  role: Role;
  /** The house a coordinator is bound to; null for every other role. */
  houseId: string | null;
}
