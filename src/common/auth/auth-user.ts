import { Language } from '../i18n/languages';
import { Role } from '../../modules/users/entities/user.entity';

/** Who is calling, as the auth guard established it from the bearer token. */
export interface AuthUser {
  id: string;
  role: Role;
  /** The house a coordinator is bound to; null for every other role. */
  houseId: string | null;
  /** The language the caller reads (profile), for the texts of the answer. */
  language: Language;
}
