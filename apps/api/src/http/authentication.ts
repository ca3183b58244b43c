import { randomUUID } from 'node:crypto';
import {
  applyDecorators,
  type CanActivate,
  createParamDecorator,
  type ExecutionContext,
  Inject,
  Injectable,
  SetMetadata,
  UnauthorizedException,
  BadRequestException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { type CommandContext, type Permission, PERMISSIONS, requestFingerprint, requireRole, Users, type UserView } from '#application';
import { ApiForbiddenResponse } from '@nestjs/swagger';
import type { Logger } from 'pino';
import { PUBLIC_ROUTE } from '#runtime';
import { requireReadableBody } from './input-limits.js';
import { ForbiddenBody } from './responses.js';

const ALLOWED = 'allowed-roles';

export { Public } from '#runtime';

/** Only users holding a role of the permission get past the guard, before their input is read. */
export const Allowed = (permission: Permission) =>
  applyDecorators(
    SetMetadata(ALLOWED, permission),
    ApiForbiddenResponse({ type: ForbiddenBody, description: `Needs the role ${PERMISSIONS[permission].join(' or ')}` }),
  );

/** What the guard reads of an HTTP request (Express), the user it attaches, and the request's logger (pino-http's). */
type AuthenticatedRequest = {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body?: unknown;
  user?: UserView;
  log: Pick<Logger, 'setBindings'>;
};

/** The user from here on, on the request and on every line it logs. */
function signedIn(request: AuthenticatedRequest, user: UserView): void {
  request.user = user;
  request.log.setBindings({ user: user.username });
}

@Injectable()
export class AuthenticationGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(Users) private readonly users: Users,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const authorization = request.headers.authorization;
    const [scheme, token] = (typeof authorization === 'string' ? authorization : '').split(' ');
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, [context.getHandler(), context.getClass()])) {
      // A public route may show a signed-in user more; a stale token still gets the anonymous answer.
      const user = scheme === 'Bearer' && token ? await this.users.authenticate(token) : undefined;
      if (user) signedIn(request, user);
      return true;
    }
    if (scheme !== 'Bearer' || !token) throw new UnauthorizedException('sign in first: send Authorization: Bearer <token> from POST /auth/token');
    const user = await this.users.authenticate(token);
    if (!user) throw new UnauthorizedException('the access token is invalid or has expired: sign in again');
    signedIn(request, user);
    const permission = this.reflector.getAllAndOverride<Permission | undefined>(ALLOWED, [context.getHandler(), context.getClass()]);
    if (permission) requireRole(user, permission, `${request.method} ${request.url}`);
    return true;
  }
}

const COMMAND_ID = /^[A-Za-z0-9._:-]{8,100}$/;

/**
 * The signed-in actor and the command id of this request. A client that may retry sends a
 * `Command-Id` header (e.g. a UUID): the same id again, by the same user with the same request, has
 * no second effect; with another user or request it is refused (`CommandIdReused`).
 */
export const Ctx = createParamDecorator((_data: unknown, context: ExecutionContext): CommandContext => {
  const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
  const header = request.headers['command-id'];
  if (header !== undefined && (typeof header !== 'string' || !COMMAND_ID.test(header))) {
    throw new BadRequestException({
      message: 'Command-Id must be 8–100 letters, digits, dots, dashes, colons or underscores',
      fields: [{ field: 'Command-Id', message: 'malformed' }],
    });
  }
  const { username, roles } = request.user!;
  requireReadableBody(request.body);
  const commandId = header ?? randomUUID();
  request.log.setBindings({ commandId });
  return {
    actor: { username, roles },
    commandId,
    requestFingerprint: requestFingerprint({ username, method: request.method, url: request.url, body: request.body }),
  };
});

export const CurrentUser = createParamDecorator(
  (_data: unknown, context: ExecutionContext): UserView => context.switchToHttp().getRequest<AuthenticatedRequest>().user!,
);

/** On a public route: the user whose token came with the request, if it holds. */
export const SignedInUser = createParamDecorator(
  (_data: unknown, context: ExecutionContext): UserView | undefined => context.switchToHttp().getRequest<AuthenticatedRequest>().user,
);
