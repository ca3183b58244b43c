import { applyDecorators, Body, Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiProperty, ApiTags } from '@nestjs/swagger';
import { ArrayMinSize, IsArray, IsIn, IsString, MaxLength, MinLength } from 'class-validator';
import { AggregateReader, type CommandContext, type Role, ROLES, UserAccounts, Users } from '#application';
import { Allowed, Ctx } from '../http/authentication.js';
import { TextField } from '../http/fields.js';
import { Operation, SignedIn } from '../http/responses.js';
import { AggregateViewOf } from '../http/views.js';
import { AccountBody, ListedUserBody } from './auth.views.js';

const UserAccountView = AggregateViewOf('UserAccountView', AccountBody);

const RolesField = () =>
  applyDecorators(
    ApiProperty({ enum: ROLES, isArray: true, description: 'One or more roles; adding administrator needs another administrator to confirm' }),
    IsArray(),
    ArrayMinSize(1),
    IsIn(ROLES, { each: true }),
  );

class NewUser {
  @TextField('User name: lower-case letters, digits, dots, dashes', 'nguyen.van.a') username!: string;
  @TextField('Full name', 'Nguyễn Văn A') fullName!: string;
  @RolesField() roles!: Role[];
  @ApiProperty({ description: 'At least 12 characters', example: 'correct horse battery' }) @IsString() @MinLength(12) @MaxLength(500) password!: string;
}

class Roles {
  @RolesField() roles!: Role[];
}

class NewPassword {
  @ApiProperty({ description: 'At least 12 characters; the user signs in with it, and every token issued before ends', example: 'a temporary secret' })
  @IsString()
  @MinLength(12)
  @MaxLength(500)
  password!: string;
}

class Disabling {
  @TextField('Why the account is disabled (kept in the recorded fact)', 'left the office') reason!: string;
}

class SecondFactorDisabling {
  @TextField('Why the second factor is turned off (kept in the recorded fact)', 'lost phone') reason!: string;
}

/**
 * User accounts and their life cycle, each change a fact on the account's stream (`GET
 * /users/{username}` shows them to administrators and auditors). An account holding the
 * administrator role, or a grant of it, takes effect once another administrator confirms it.
 */
@ApiTags('users')
@SignedIn()
@Controller('users')
export class UsersController {
  constructor(
    @Inject(Users) private readonly users: Users,
    @Inject(UserAccounts) private readonly accounts: UserAccounts,
    @Inject(AggregateReader) private readonly reader: AggregateReader,
  ) {}

  @Get()
  @Allowed('listUsers')
  @Operation({ id: 'listUsers', summary: 'Every user account, with its roles and status', answer: [ListedUserBody] })
  list() {
    return this.users.list();
  }

  @Get(':username')
  @Allowed('listUsers')
  @Operation({ id: 'getUserAccount', summary: 'One account and who did what to it', answer: UserAccountView, errors: ['invalid', 'missing'] })
  show(@Param('username') username: string) {
    return this.reader.userAccount(username);
  }

  /** 201 with `status: active`, or `awaiting-confirmation` for an administrator's account. */
  @Post()
  @Allowed('manageUsers')
  @Operation({
    id: 'registerUser',
    summary: 'Register a user account with its roles',
    description: 'Answers `status: active`, or `awaiting-confirmation` for an administrator’s account. 409 UsernameTaken.',
    answer: AccountBody,
    created: true,
    errors: ['invalid', 'conflict'],
  })
  register(@Body() body: NewUser, @Ctx() context: CommandContext) {
    return this.accounts.register({ username: body.username, fullName: body.fullName, roles: body.roles }, body.password, context);
  }

  @Post(':username/confirmation')
  @HttpCode(200)
  @Allowed('manageUsers')
  @Operation({
    id: 'confirmUserAccount',
    summary: 'Confirm an administrator’s account or grant (another administrator than who drafted it)',
    answer: AccountBody,
    errors: ['invalid', 'missing', 'conflict'],
  })
  confirm(@Param('username') username: string, @Ctx() context: CommandContext) {
    return this.accounts.confirm(username, context);
  }

  @Post(':username/roles')
  @HttpCode(200)
  @Allowed('manageUsers')
  @Operation({
    id: 'changeUserRoles',
    summary: 'Change a user’s roles (adding administrator awaits another administrator’s confirmation)',
    answer: AccountBody,
    errors: ['invalid', 'missing', 'conflict'],
  })
  changeRoles(@Param('username') username: string, @Body() body: Roles, @Ctx() context: CommandContext) {
    return this.accounts.changeRoles(username, body.roles, context);
  }

  @Post(':username/password')
  @HttpCode(200)
  @Allowed('manageUsers')
  @Operation({
    id: 'resetUserPassword',
    summary: 'Set a new password for a user: every token issued before ends',
    answer: AccountBody,
    errors: ['invalid', 'missing', 'conflict'],
  })
  resetPassword(@Param('username') username: string, @Body() body: NewPassword, @Ctx() context: CommandContext) {
    return this.accounts.resetPassword(username, body.password, context);
  }

  @Post(':username/disable')
  @HttpCode(200)
  @Allowed('manageUsers')
  @Operation({ id: 'disableUser', summary: 'Disable a user account, with the reason', answer: AccountBody, errors: ['invalid', 'missing', 'conflict'] })
  disable(@Param('username') username: string, @Body() body: Disabling, @Ctx() context: CommandContext) {
    return this.accounts.disable(username, body.reason, context);
  }

  /** Another user's second factor turned off (a lost phone): they sign in with their password alone until they enrol again. */
  @Post(':username/second-factor/disable')
  @HttpCode(200)
  @Allowed('manageUsers')
  @Operation({
    id: 'disableUserSecondFactor',
    summary: 'Turn another user’s second factor off (a lost phone)',
    description: '409 OwnAccount: one’s own is turned off with a code (POST /auth/second-factor/disable).',
    answer: AccountBody,
    errors: ['invalid', 'missing', 'conflict'],
  })
  disableSecondFactor(@Param('username') username: string, @Body() body: SecondFactorDisabling, @Ctx() context: CommandContext) {
    return this.accounts.disableSecondFactor(username, body.reason, context);
  }

  @Post(':username/enable')
  @HttpCode(200)
  @Allowed('manageUsers')
  @Operation({ id: 'enableUser', summary: 'Enable a disabled user account again', answer: AccountBody, errors: ['invalid', 'missing', 'conflict'] })
  enable(@Param('username') username: string, @Ctx() context: CommandContext) {
    return this.accounts.enable(username, context);
  }
}
