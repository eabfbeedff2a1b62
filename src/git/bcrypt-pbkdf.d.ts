// bcrypt-pbkdf ships no types; the one function src/git/sign-ssh.ts calls is typed there.
declare module "bcrypt-pbkdf";
