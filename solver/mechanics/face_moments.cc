#include "mechanics/face_moments.h"

#include <deal.II/base/exceptions.h>

#include <array>
#include <cmath>

namespace Ossify
{
  using namespace dealii;

  FaceMoments::FaceMoments(const unsigned int normal_axis)
      : a(normal_axis)
      , p((normal_axis + 1) % 3)
      , q((normal_axis + 2) % 3)
  {
    AssertIndexRange(normal_axis, 3);
  }

  void
  FaceMoments::add_mirror_plane(const unsigned int axis, const double position)
  {
    AssertIndexRange(axis, 3);
    mirror_planes.emplace_back(axis, position);
  }

  void
  FaceMoments::add(const Point<3> &x, const double JxW, const Tensor<1, 3> &u)
  {
    // the point and its images in every combination of the planes
    const unsigned int n_images = 1u << mirror_planes.size();
    for (unsigned int image = 0; image < n_images; ++image)
    {
      Point<3>     y = x;
      Tensor<1, 3> v = u;
      for (unsigned int m = 0; m < mirror_planes.size(); ++m)
        if (image & (1u << m))
        {
          const auto [axis, position] = mirror_planes[m];
          y[axis]                     = 2 * position - y[axis];
          v[axis]                     = -v[axis];
        }
      add_one(y, JxW, v);
    }
  }

  void
  FaceMoments::add_one(const Point<3>     &x,
                       const double        JxW,
                       const Tensor<1, 3> &u)
  {
    measure += JxW;
    for (unsigned int i = 0; i < 3; ++i)
    {
      first[i] += x[i] * JxW;
      displacement[i] += u[i] * JxW;
      for (unsigned int j = 0; j < 3; ++j)
      {
        second[i][j] += x[i] * x[j] * JxW;
        displacement_x[i][j] += u[i] * x[j] * JxW;
      }
    }
  }

  void
  FaceMoments::sum_over(MPI_Comm communicator)
  {
    std::array<double, 25> packed;
    packed[0] = measure;
    for (unsigned int i = 0; i < 3; ++i)
    {
      packed[1 + i] = first[i];
      packed[4 + i] = displacement[i];
      for (unsigned int j = 0; j < 3; ++j)
      {
        packed[7 + 3 * i + j]  = second[i][j];
        packed[16 + 3 * i + j] = displacement_x[i][j];
      }
    }
    MPI_Allreduce(MPI_IN_PLACE,
                  packed.data(),
                  packed.size(),
                  MPI_DOUBLE,
                  MPI_SUM,
                  communicator);
    measure = packed[0];
    for (unsigned int i = 0; i < 3; ++i)
    {
      first[i]        = packed[1 + i];
      displacement[i] = packed[4 + i];
      for (unsigned int j = 0; j < 3; ++j)
      {
        second[i][j]         = packed[7 + 3 * i + j];
        displacement_x[i][j] = packed[16 + 3 * i + j];
      }
    }
  }

  Point<3>
  FaceMoments::centroid() const
  {
    return measure > 0 ? Point<3>(first / measure) : Point<3>();
  }

  Tensor<2, 3>
  FaceMoments::second_moment() const
  {
    const Point<3> c = centroid();
    Tensor<2, 3>   I;
    for (unsigned int i = 0; i < 3; ++i)
      for (unsigned int j = 0; j < 3; ++j)
        I[i][j] = second[i][j] - measure * c[i] * c[j];
    return I;
  }

  Tensor<1, 3>
  FaceMoments::mean_displacement() const
  {
    return measure > 0 ? displacement / measure : Tensor<1, 3>();
  }

  Tensor<1, 3>
  FaceMoments::rotation() const
  {
    Tensor<1, 3> theta;
    if (!(measure > 0))
      return theta;
    const Point<3>     c = centroid();
    const Tensor<2, 3> I = second_moment();
    // U_ij = int u_i r_j dA
    Tensor<2, 3> U;
    for (unsigned int i = 0; i < 3; ++i)
      for (unsigned int j = 0; j < 3; ++j)
        U[i][j] = displacement_x[i][j] - displacement[i] * c[j];

    const double polar = I[p][p] + I[q][q];
    if (polar > 0)
      theta[a] = (U[q][p] - U[p][q]) / polar;
    // normal displacement u_a = theta_p r_q - theta_q r_p, least squares
    const double det = I[p][p] * I[q][q] - I[p][q] * I[p][q];
    if (det > 1e-12 * polar * polar)
    {
      const double b1 = U[a][q], b2 = -U[a][p];
      theta[p] = (I[p][p] * b1 + I[p][q] * b2) / det;
      theta[q] = (I[p][q] * b1 + I[q][q] * b2) / det;
    }
    return theta;
  }

  Tensor<1, 3>
  FaceMoments::moment_traction(const Tensor<1, 3> &moment,
                               const Point<3>     &x) const
  {
    Tensor<1, 3>       t;
    const Tensor<1, 3> r     = x - centroid();
    const Tensor<2, 3> I     = second_moment();
    const double       polar = I[p][p] + I[q][q];
    if (!(polar > 0))
      return t;
    // twist: t = kappa e_a x r, whose moment is kappa int |r|^2 e_a
    const double kappa = moment[a] / polar;
    t[p] -= kappa * r[q];
    t[q] += kappa * r[p];
    // bending: t_a = g_p r_p + g_q r_q with moment (int t_a r_q,
    // -int t_a r_p) about (p, q)
    const double det = I[p][p] * I[q][q] - I[p][q] * I[p][q];
    if (!(det > 1e-12 * polar * polar) || (moment[p] == 0 && moment[q] == 0))
      return t;
    const double rhs_p = -moment[q], rhs_q = moment[p];
    const double g_p = (I[q][q] * rhs_p - I[p][q] * rhs_q) / det;
    const double g_q = (I[p][p] * rhs_q - I[p][q] * rhs_p) / det;
    t[a] += g_p * r[p] + g_q * r[q];
    return t;
  }

  Tensor<1, 3>
  FaceMoments::rotation_weight(const unsigned int d, const Point<3> &x) const
  {
    Tensor<1, 3>       g;
    const Tensor<1, 3> r     = x - centroid();
    const Tensor<2, 3> I     = second_moment();
    const double       polar = I[p][p] + I[q][q];
    const double       det   = I[p][p] * I[q][q] - I[p][q] * I[p][q];
    if (d == a)
    {
      if (polar > 0)
      {
        g[p] = -r[q] / polar;
        g[q] = r[p] / polar;
      }
    }
    else if (det > 1e-12 * polar * polar)
    {
      // rotation() with b1 = int u_a r_q, b2 = -int u_a r_p
      g[a] = d == p ? (I[p][p] * r[q] - I[p][q] * r[p]) / det
                    : (I[p][q] * r[q] - I[q][q] * r[p]) / det;
    }
    return g;
  }

  Tensor<1, 3>
  FaceMoments::uniform_spring_rotational_stiffness(const Tensor<1, 3> &k) const
  {
    Tensor<1, 3> kr;
    if (!(measure > 0))
      return kr;
    const Tensor<2, 3> I = second_moment();
    kr[p]                = k[a] * I[q][q] / measure;
    kr[q]                = k[a] * I[p][p] / measure;
    kr[a]                = (k[p] * I[q][q] + k[q] * I[p][p]) / measure;
    return kr;
  }
} // namespace Ossify
