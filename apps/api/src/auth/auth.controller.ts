import { Body, Controller, Get, HttpCode, Inject, Ip, Post, UnauthorizedException } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiTags } from '@nestjs/swagger';
import { ArrayMinSize, IsArray, IsIn, IsString, MinLength } from 'class-validator';
import { type Role, ROLES, Users, type UserView } from '#application';
import { Allowed, CurrentUser, Public } from '../http/authentication.js';
import { TextField } from '../http/fields.js';

class SignIn {
  @TextField('User name', 'admin') username!: string;
  @ApiProperty({ example: 'a long secret' }) @IsString() password!: string;
}

class NewUser {
  @TextField('User name: lower-case letters, digits, dots, dashes', 'nguyen.van.a') username!: string;
  @TextField('Full name', 'Nguyễn Văn A') fullName!: string;
  @ApiProperty({ enum: ROLES, isArray: true, description: 'One or more roles' }) @IsArray() @ArrayMinSize(1) @IsIn(ROLES, { each: true }) roles!: Role[];
  @ApiProperty({ description: 'At least 12 characters', example: 'correct horse battery' }) @IsString() @MinLength(12) password!: string;
}

@ApiTags('users')
@Controller()
export class AuthController {
  constructor(@Inject(Users) private readonly users: Users) {}

  @Public()
  @Post('auth/token')
  @HttpCode(200)
  async signIn(@Body() body: SignIn, @Ip() address: string) {
    const session = await this.users.signIn(body.username, body.password, address);
    if (!session) throw new UnauthorizedException('wrong user name or password');
    return session;
  }

  @ApiBearerAuth()
  @Get('auth/me')
  me(@CurrentUser() user: UserView): UserView {
    return user;
  }

  @ApiBearerAuth()
  @Get('users')
  @Allowed('listUsers')
  list() {
    return this.users.list();
  }

  @ApiBearerAuth()
  @Post('users')
  @Allowed('manageUsers')
  register(@Body() body: NewUser, @CurrentUser() user: UserView) {
    return this.users.register({ username: body.username, fullName: body.fullName, roles: body.roles }, body.password, user);
  }
}
